"""The Scrapy spider: builds the requests, hands what arrives to the coordinator.

Requests carry their :mod:`.visits` object under ``meta["sentinelle"]``; every request is
``dont_filter`` (the crawler de-duplicates pages per crawl in :class:`.scope.Frontier`, media
per crawl in :class:`.Coordinator`, so Scrapy's fingerprint filter is off). Priorities:
review re-fetches, then media, then stylesheets and frames, then pages by depth, so a page
is finished (and its buffered bytes let go) before new pages are started.

Idle: the coordinator's database work runs outside Scrapy's view, so the spider stays
open while it is busy, and (with ``--queue``) while the queue is being watched.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Final

from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider

from sentinelle.crawl.coordinator import Coordinator
from sentinelle.crawl.documents import document_arrived, media_item, now, page_arrived
from sentinelle.crawl.failures import MERGED, classify
from sentinelle.crawl.items import MediaItem
from sentinelle.crawl.visits import Crawl, MediaFetch, Visit

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from sentinelle.crawl.hashing_pool import HashingPool
    from sentinelle.crawl.queue_feed import QueueFeed

logger = logging.getLogger(__name__)

KEY: Final = "sentinelle"
#: ``meta[ROLE]``: what a request fetches.
ROLE: Final = "sentinelle_role"
PAGE, MEDIA, DOCUMENT, REVIEW = "page", "media", "document", "review"
PRIORITY_REVIEW: Final = 30
PRIORITY_MEDIA: Final = 20
PRIORITY_DOCUMENT: Final = 10


class SentinelleSpider(Spider):
    name = "sentinelle"

    def __init__(
        self,
        *,
        coordinator: Coordinator,
        seeds: list[tuple[Crawl, list[str]]],
        pool: HashingPool,
        feed: QueueFeed | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.coordinator = coordinator
        self.pool = pool
        self.seeds = seeds
        self.feed = feed

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SentinelleSpider:
        spider: SentinelleSpider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._dropped, signal=signals.item_dropped)
        crawler.signals.connect(spider._item_error, signal=signals.item_error)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        spider.coordinator.bind(spider, spider._schedule, spider._wake)
        return spider

    @property
    def options(self) -> Any:
        return self.coordinator.options

    async def start(self) -> AsyncIterator[Any]:
        for crawl, urls in self.seeds:
            for request in self.coordinator.open_crawl(crawl, urls):
                yield request
        if self.feed is not None:
            for request in await self.feed.resume():
                yield request

    # -- requests (the coordinator's Requests protocol) ----------------------------------------

    def page(self, visit: Visit) -> Request:
        return Request(
            visit.url,
            callback=self.parse_page,
            errback=self.page_failed,
            meta={KEY: visit, ROLE: PAGE, "download_maxsize": self.options.max_page_bytes},
            priority=-visit.depth,
            dont_filter=True,
        )

    def media(self, fetch: MediaFetch) -> Request:
        return Request(
            fetch.url,
            callback=self.parse_media,
            errback=self.media_failed,
            meta={KEY: fetch, ROLE: MEDIA, "download_maxsize": self.options.max_media_bytes},
            priority=PRIORITY_MEDIA,
            dont_filter=True,
        )

    def document(self, visit: Visit, url: str, kind: str, frames: int) -> Request:
        return Request(
            url,
            callback=self.parse_document,
            errback=self.document_failed,
            meta={KEY: visit, ROLE: DOCUMENT, "kind": kind, "frames": frames,
                  "download_maxsize": self.options.max_page_bytes},
            priority=PRIORITY_DOCUMENT,
            dont_filter=True,
        )

    def review(self, visit: Visit, sha256: str, url: str) -> Request:
        return Request(
            url,
            callback=self.parse_review,
            errback=self.document_failed,
            meta={KEY: visit, ROLE: REVIEW, "sha256": sha256,
                  "download_maxsize": self.options.max_media_bytes},
            priority=PRIORITY_REVIEW,
            dont_filter=True,
        )

    # -- callbacks -------------------------------------------------------------------------------

    def parse_page(self, response: Response) -> list[Any]:
        return page_arrived(self.coordinator, response.meta[KEY], response)

    def parse_media(self, response: Response) -> list[MediaItem]:
        fetch: MediaFetch = response.meta[KEY]
        self.coordinator.stats.inc_value("media/fetched")
        self.coordinator.stats.inc_value("media/bytes", len(response.body))
        return [media_item(fetch, response)]

    def parse_document(self, response: Response) -> list[Any]:
        meta = response.meta
        return document_arrived(self.coordinator, meta[KEY], response, meta["kind"], meta["frames"])

    def parse_review(self, response: Response) -> None:
        import hashlib

        visit: Visit = response.meta[KEY]
        expected = response.meta["sha256"]
        if hashlib.sha256(response.body).hexdigest() == expected:
            visit.refetched[expected] = response.body
        else:
            self.coordinator.stats.inc_value("review/changed")
        self.coordinator.release(visit)

    # -- errbacks ----------------------------------------------------------------------------

    def page_failed(self, failure: Failure) -> None:
        request, error = _parts(failure)
        visit: Visit = request.meta[KEY]
        failed = classify(error)
        if failed.reason == MERGED:  # redirected to a page this crawl visits anyway
            self.coordinator.stats.inc_value("links/duplicate")
            self.coordinator.release(visit)
            return
        self.coordinator.stats.inc_value(f"dropped/{failed.reason}")
        self.coordinator.stats.inc_value("pages/failed")
        if visit.depth == 0:
            visit.crawl.seed_failure = (failed.reason, failed.transient)
        if failed.status is not None:
            visit.status = failed.status
            self.coordinator.record_visit(visit, seen_at=now())
        self.coordinator.release(visit)

    def media_failed(self, failure: Failure) -> None:
        request, error = _parts(failure)
        reason = classify(error).reason
        if reason != MERGED:  # a merged fetch handed its pages over already
            self.coordinator.media_failed(request.meta[KEY], reason)

    def document_failed(self, failure: Failure) -> None:
        request, error = _parts(failure)
        self.coordinator.stats.inc_value(f"dropped/{classify(error).reason}")
        self.coordinator.release(request.meta[KEY])

    # -- signals -----------------------------------------------------------------------------

    def _dropped(self, item: Any, response: Any, exception: BaseException, spider: Any) -> None:
        if isinstance(item, MediaItem):
            reason = str(exception.args[0]) if exception.args else "dropped"
            self.coordinator.media_failed(item.fetch, reason)

    def _item_error(self, item: Any, response: Any, spider: Any, failure: Failure) -> None:
        if isinstance(item, MediaItem):
            self.coordinator.media_failed(item.fetch, "error")

    def _opened(self) -> None:
        self.coordinator.stats = self.crawler.stats

    def _idle(self) -> None:
        if self.coordinator.busy:
            raise DontCloseSpider
        if self.feed is not None and self.feed.keep_open():
            raise DontCloseSpider

    async def _closed(self, reason: str) -> None:
        self.coordinator.closing = True
        await self.coordinator.settle()

    def _schedule(self, request: Request) -> None:
        if self.crawler.engine is not None and not self.coordinator.closing:
            self.crawler.engine.crawl(request)

    def _wake(self) -> None:
        """Let the engine look again at once whether the crawl is over (Scrapy itself checks
        only every few seconds after the spider said it was busy)."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None and not self.coordinator.closing:
            nextcall.schedule()


def _parts(failure: Failure) -> tuple[Any, BaseException]:
    """The request a failure belongs to (Scrapy sets it) and its exception."""
    request: Any = getattr(failure, "request")  # noqa: B009 - an attribute Scrapy adds
    return request, failure.value or Exception("unknown failure")
