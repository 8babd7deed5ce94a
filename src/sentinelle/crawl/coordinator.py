"""A page's life in the crawler: visited, read, its media recorded, finished, followed.

:class:`Coordinator` holds the open crawls (:mod:`.visits`) and decides what to fetch. The
spider hands it what arrives (:mod:`.documents` reads pages, stylesheets and frames); the
last pipeline hands it each hashed and matched media file. A page is *finished* when
nothing it holds is still out: then, if a confirmed match was recorded on it, its unknown
media go to the review store and its links are followed (within :class:`.scope.Frontier`'s
limits); then the journal records it. A crawl is finished when its last page is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from sentinelle.audit.services import Actor
from sentinelle.crawl.batch_writes import MediaRecord, PageVisit
from sentinelle.crawl.exceptions import InvalidUrl
from sentinelle.crawl.group_commit import GroupCommit
from sentinelle.crawl.journal import FinishedPage, Journal
from sentinelle.crawl.normalize import normalize_url
from sentinelle.crawl.options import CrawlOptions, Expand
from sentinelle.crawl.output import SightingWriter, sighting_record
from sentinelle.crawl.recording import keep_for_review, review_kept, unverified_matches
from sentinelle.crawl.review_buffer import ReviewBuffer
from sentinelle.crawl.scope import Skip
from sentinelle.crawl.visits import Crawl, MediaFetch, MediaOutcome, Use, Visit

if TYPE_CHECKING:
    from datetime import datetime

    from scrapy import Request

    from sentinelle.crawl.database import Database
    from sentinelle.crawl.items import MediaItem

logger = logging.getLogger(__name__)


class Stats(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...


class _Uncounted:
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        pass


class Requests(Protocol):
    """Builds the Scrapy requests (the spider, whose methods are the callbacks)."""

    def page(self, visit: Visit) -> Request: ...
    def media(self, fetch: MediaFetch) -> Request: ...
    def document(self, visit: Visit, url: str, kind: str, frames: int) -> Request: ...
    def review(self, visit: Visit, sha256: str, url: str) -> Request: ...


class Coordinator:
    def __init__(
        self,
        options: CrawlOptions,
        *,
        database: Database,
        journal: Journal | None,
        output: SightingWriter,
        actor: Actor,
        stats: Stats | None = None,
    ) -> None:
        self.options = options
        self.database = database
        self.journal = journal
        self.output = output
        #: Scrapy's stats collector (the spider sets it).
        self.stats: Stats = stats or _Uncounted()
        self.actor = actor
        self.buffer = ReviewBuffer(options.review_buffer)
        self.writes = GroupCommit(database)
        self.crawls: dict[str, Crawl] = {}
        self.on_crawl_finished: Callable[[Crawl], Coroutine[Any, Any, None]] | None = None
        self._tasks: set[asyncio.Future[None]] = set()
        self._requests: Requests | None = None
        self._schedule: Callable[[Request], None] = lambda request: None
        self._wake: Callable[[], None] = lambda: None
        self.closing = False

    def bind(
        self, requests: Requests, schedule: Callable[[Request], None], wake: Callable[[], None]
    ) -> None:
        self._requests, self._schedule, self._wake = requests, schedule, wake

    def schedule(self, request: Request) -> None:
        self._schedule(request)

    @property
    def requests(self) -> Requests:
        assert self._requests is not None, "the coordinator is not bound to a spider"
        return self._requests

    @property
    def busy(self) -> bool:
        return bool(self._tasks) or any(crawl.open_pages for crawl in self.crawls.values())

    async def settle(self) -> None:
        """Wait for the database work already under way (at shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- crawls and visits ------------------------------------------------------------------

    def open_crawl(self, crawl: Crawl, seeds: list[str]) -> list[Request]:
        self.crawls[crawl.id] = crawl
        requests: list[Request] = []
        for seed in seeds:
            requests += self.visit(crawl, seed, depth=0, referrer=None)
        crawl.started = True
        if crawl.open_pages == 0:
            self.background(self._crawl_finished(crawl))
        return requests

    def visit(self, crawl: Crawl, url: str, *, depth: int, referrer: str | None) -> list[Request]:
        page, skip = crawl.frontier.admit(url, depth=depth, referrer=referrer)
        if skip is not None or page is None:
            self.stats.inc_value(f"links/{skip}")
            if referrer is None and skip is not Skip.DUPLICATE:
                crawl.seed_failure = (f"seed-{skip}", False)
            return []
        if referrer is not None:
            self.stats.inc_value("links/followed")
        done = self.journal.state.finished(crawl.id, page.url) if self.journal else None
        if done is not None:
            return self._replay(crawl, done)
        crawl.open_pages += 1
        return [self.requests.page(Visit(crawl, page.url, depth, referrer))]

    def _expands(self, confirmed: bool) -> bool:
        return confirmed or self.options.expand is Expand.ALL

    def _replay(self, crawl: Crawl, done: FinishedPage) -> list[Request]:
        """A page finished before a restart: not fetched again; its outcome is replayed."""
        self.stats.inc_value("pages/replayed")
        if done.final_url:
            crawl.frontier.also_seen(done.final_url)
        if done.confirmed:
            self.stats.inc_value("pages/confirmed")
        return self._follow(crawl, done.links, done.confirmed, done.depth, done.final_url or done.url)

    def _follow(
        self, crawl: Crawl, links: tuple[str, ...] | list[str], confirmed: bool, depth: int, page: str
    ) -> list[Request]:
        if not links:
            return []
        if not self._expands(confirmed):
            self.stats.inc_value("links/not-expanded", len(links))
            return []
        requests: list[Request] = []
        for link in links:
            requests += self.visit(crawl, link, depth=depth + 1, referrer=page)
        return requests

    def hold(self, visit: Visit) -> None:
        visit.pending += 1

    def release(self, visit: Visit) -> None:
        visit.pending -= 1
        if visit.pending == 0 and not visit.finished:
            self.background(self._finish(visit))

    def record_visit(self, visit: Visit, *, seen_at: datetime) -> None:
        """Record the page itself (status, last seen), holding the visit until it is written."""
        self.hold(visit)
        self.background(self._record_visit(visit, seen_at), visit)

    async def _record_visit(self, visit: Visit, seen_at: datetime) -> None:
        try:
            await self.writes.visit(PageVisit(visit.page_url, seen_at, visit.status))
        except InvalidUrl:
            pass
        except Exception:
            visit.unrecorded = True
            raise

    # -- media ------------------------------------------------------------------------------

    def reference(self, visit: Visit, url: str, page_url: str | None) -> Request | None:
        """Media at ``url`` on ``visit``'s page: a request, or None when it is fetched (or
        being fetched) already for this crawl, or refused."""
        if len(url) > self.options.max_url_length:
            self.stats.inc_value("dropped/url-too-long")
            return None
        try:
            key = normalize_url(url)
        except InvalidUrl:
            self.stats.inc_value("dropped/invalid-url")
            return None
        if key.key in visit.media_keys:
            return None
        visit.media_keys.add(key.key)
        fetch = visit.crawl.media.get(key.key)
        fetch = fetch.current() if fetch is not None else None
        if fetch is None:
            fetch = visit.crawl.media[key.key] = MediaFetch(visit.crawl, key.url)
            fetch.uses.append(Use(visit, page_url))
            self.hold(visit)
            return self.requests.media(fetch)
        self.stats.inc_value("media/reused")
        if fetch.failed is None:
            self.join(fetch, Use(visit, page_url))
        return None

    def join(self, fetch: MediaFetch, use: Use) -> None:
        """``use`` waits for ``fetch``, or records its outcome now if it has one."""
        self.hold(use.visit)
        if fetch.outcome is None:
            fetch.uses.append(use)
        else:
            self.background(self._record(fetch.outcome, [use], None))

    def redirected_media(self, fetch: MediaFetch, url: str) -> bool:
        """A media request was redirected to ``url``. True when another fetch of the crawl
        has that URL: the pages wait for that one instead, and this request stops."""
        try:
            key = normalize_url(url).key
        except InvalidUrl:
            return False
        other = fetch.crawl.media.get(key)
        other = other.current() if other is not None else None
        if other is None:
            fetch.crawl.media[key] = fetch  # a later reference to the target joins this fetch
            return False
        if other is fetch:
            return False
        fetch.merged = other
        uses, fetch.uses = fetch.uses, []
        for use in uses:
            if other.failed is None:
                self.join(other, use)
            self.release(use.visit)
        self.stats.inc_value("media/merged")
        return True

    def redirected_page(self, visit: Visit, url: str) -> bool:
        """A page request was redirected to ``url``. True when the crawl visits that page
        already (this visit then stops: ``links/duplicate``)."""
        try:
            key = normalize_url(url).key
        except InvalidUrl:
            return False
        if key in visit.hops:
            return False  # the same hop again (a retry)
        if key in visit.crawl.frontier.seen:
            return True
        visit.hops.add(key)
        visit.crawl.frontier.seen.add(key)
        return False

    def media_failed(self, fetch: MediaFetch, reason: str) -> None:
        self.stats.inc_value(f"dropped/{reason}")
        fetch.failed = reason
        uses, fetch.uses = fetch.uses, []
        for use in uses:
            self.release(use.visit)

    async def media_done(self, item: MediaItem) -> None:
        """The last pipeline's step: record one sighting per page waiting for ``item``."""
        assert item.hashed is not None
        outcome = MediaOutcome(item.hashed, item.url, item.status, item.ip, item.seen_at)
        item.fetch.outcome = outcome
        uses, item.fetch.uses = item.fetch.uses, []
        await self._record(outcome, uses, item.data)

    async def _record(self, outcome: MediaOutcome, uses: list[Use], data: bytes | None) -> None:
        crawl = uses[0].visit.crawl if uses else None
        try:
            if crawl is None:
                return
            statuses = {u.page_url: u.visit.status for u in uses if u.page_url is not None}
            pages = [use.page_url for use in uses]
            recorded = await self.writes.record(
                MediaRecord(outcome, pages, crawl.run, crawl.request_pk, statuses)
            )
            matches = outcome.hashed.matches
            reviewable = bool(matches) and self.options.review and await self.database.read(
                unverified_matches, matches
            )
            self._recorded(outcome, uses, [r.created for r in recorded], data, reviewable=reviewable)
        except Exception:
            for use in uses:
                use.visit.unrecorded = True
            raise
        finally:
            for use in uses:
                self.release(use.visit)

    def _recorded(
        self, outcome: MediaOutcome, uses: list[Use], created: list[bool], data: bytes | None,
        *, reviewable: bool = False,
    ) -> None:
        """``reviewable``: the media matched stored, unverified lists only, so analysts must
        confirm it: its bytes are kept for review like unknown media's."""
        hashed = outcome.hashed
        known = bool(hashed.matches)
        review = not known or reviewable
        for use, new in zip(uses, created, strict=True):
            self.stats.inc_value("sightings/recorded" if new else "sightings/existing")
            if known:
                self.stats.inc_value("sightings/matched")
                self.stats.inc_value("matches", len(hashed.matches))
                use.visit.confirmed = True
            if review and self.options.review and use.page_url is not None:
                use.visit.unknown[hashed.sha256] = outcome.url
            record = sighting_record(outcome, page_url=use.page_url, crawl=use.visit.crawl, recorded=new)
            self.output.write(record)
        keep = review and data is not None and self.options.review
        if keep and data is not None and not self.buffer.put(hashed.sha256, data):
            self.stats.inc_value("review/over-budget")

    # -- finishing ----------------------------------------------------------------------------

    async def _finish(self, visit: Visit) -> None:
        if visit.confirmed and self.options.review and visit.unknown:
            try:
                if not visit.reviewing:
                    visit.reviewing = True
                    if await self._refetch_missing(visit):
                        return  # finished again once the bytes are back
                await self._review(visit)
            except Exception:  # the page's sightings stand; a resumed crawl tries again
                visit.unrecorded = True
                self.stats.inc_value("review/failed")
                logger.exception("storing review media of %s failed", visit.page_url)
        visit.finished = True
        if visit.confirmed:
            self.stats.inc_value("pages/confirmed")
        if visit.unrecorded:
            visit.crawl.unrecorded = True
            self.stats.inc_value("pages/unrecorded")
        elif self.journal is not None:
            links = tuple(visit.links)
            page = FinishedPage(visit.url, visit.final_url, visit.depth, visit.confirmed, links)
            self.journal.page(visit.crawl.id, page)
        if not self.closing:
            follow = self._follow(
                visit.crawl, visit.links, visit.confirmed, visit.depth, visit.page_url
            )
            for request in follow:
                self._schedule(request)
        visit.crawl.open_pages -= 1
        if visit.crawl.open_pages == 0 and visit.crawl.started and not self.closing:
            # Not while closing: links of finished pages were not followed; a restart will.
            await self._crawl_finished(visit.crawl)

    async def _refetch_missing(self, visit: Visit) -> bool:
        missing = [(s, u) for s, u in visit.unknown.items() if self.buffer.get(s) is None]
        scheduled = False
        for sha256, url in missing:
            if self.closing or await self.database.read(review_kept, sha256):
                continue
            self.stats.inc_value("review/refetched")
            self.hold(visit)
            self._schedule(self.requests.review(visit, sha256, url))
            scheduled = True
        return scheduled

    async def _review(self, visit: Visit) -> None:
        for sha256 in visit.unknown:
            data = visit.refetched.get(sha256) or self.buffer.get(sha256)
            if data is None:
                continue
            result = await self.database.write(keep_for_review, sha256, data, actor=self.actor)
            self.stats.inc_value(f"review/{result}")
        visit.refetched.clear()

    async def _crawl_finished(self, crawl: Crawl) -> None:
        if self.crawls.pop(crawl.id, None) is None:
            return
        if crawl.unrecorded and crawl.seed_failure is None:
            crawl.seed_failure = ("database", True)  # a queued request is tried again later
        if self.on_crawl_finished is not None:  # the request's status first, then the journal
            await self.on_crawl_finished(crawl)
        if self.journal is not None and not crawl.unrecorded:
            self.journal.write("done", o=crawl.id)

    # -- background work -----------------------------------------------------------------------

    def background(self, work: Coroutine[Any, Any, None], holding: Visit | None = None) -> None:
        """Run ``work`` on the reactor's loop; the crawl stays open until it is done."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)

        def done(finished: asyncio.Future[None]) -> None:
            self._tasks.discard(finished)
            if not finished.cancelled() and (error := finished.exception()) is not None:
                self.stats.inc_value("errors/internal")
                logger.error("crawler task failed: %r", error, exc_info=error)
            if holding is not None:
                self.release(holding)
            self._wake()

        task.add_done_callback(done)
