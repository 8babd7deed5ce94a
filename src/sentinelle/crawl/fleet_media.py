"""Each media URL fetched once for the whole fleet; every page still gets its sightings.

One process keeps a :class:`~.visits.MediaFetch` per media URL of a crawl: the first page
referring to it fetches it, later pages wait for that fetch and record their own sightings
from its outcome. :class:`FleetMedia` extends that to the fleet, for the crawls members
share (the command line's URLs), through Redis (keys in :mod:`.fleet_keys`):

* before a media request goes out, its URL is *claimed* (:data:`.fleet_scripts.CLAIM`): a
  result published already is used at once; else a free lease is taken (``SET NX PX``) and
  this member fetches; else another member is fetching, and the fetch here waits (its
  pages stay open) until that member publishes. A redirect hop claims its target the same
  way: a target another member has stops this fetch, whose pages wait for that one.
* this member publishes every fetch it holds a lease for once it is done
  (:mod:`.fleet_results`: the hashes and matches, when the file went through every
  pipeline, so unknown media's bytes are in the review buffer; or the failure; or the URL
  it merged into), then lets the lease go. Waiting members record their pages' sightings
  from it, exactly as a later page of the same process would.
* leases are renewed while this member lives (``SENTINELLE_FLEET_LEASE_SECONDS``). A
  member that dies stops renewing: once its leases expire, a waiting member takes the
  URL over and fetches it (``fleet/lease-expired``). One that stops cleanly lets go of
  its leases at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from sentinelle.crawl.exceptions import InvalidUrl
from sentinelle.crawl.fleet_leases import MINE, WAIT
from sentinelle.crawl.fleet_results import Alias, BadResult, Failed, Fetched, Result, decode, encode
from sentinelle.crawl.normalize import normalize_url
from sentinelle.crawl.visits import MediaFetch

if TYPE_CHECKING:
    from scrapy import Request

    from sentinelle.crawl.coordinator import Coordinator
    from sentinelle.crawl.fleet_leases import MediaLeases

logger = logging.getLogger(__name__)

#: Aliases followed at most (a chain of redirects merged into one another).
MAX_ALIASES: Final = 8


def media_key(url: str) -> str | None:
    try:
        return normalize_url(url).key
    except InvalidUrl:
        return None


class FleetMedia:
    def __init__(self, leases: MediaLeases, coordinator: Coordinator) -> None:
        self.leases, self.member, self.coordinator = leases, leases.member, coordinator
        #: Fetches this member makes for the fleet, with the keys it holds leases on.
        self.held: dict[MediaFetch, list[str]] = {}
        #: Fetches another member makes: the key waited for.
        self.waiting: dict[MediaFetch, str] = {}
        #: SHA-256 -> the member holding the bytes of media fetched elsewhere (for review).
        self.owners: dict[str, str] = {}

    # -- requests going out ---------------------------------------------------------------

    def admit(self, request: Request, fetch: MediaFetch) -> bool:
        """A media request of a shared crawl: True when this member is to fetch it."""
        keys = self.held.get(fetch)
        if keys is not None:
            return self._hop(request, fetch, keys) if request.meta.get("redirect_urls") else True
        key = media_key(fetch.url)
        if key is None:
            return True
        if self._settle(fetch, key, self.leases.claim(fetch.crawl.id, [key])[0], requested=True):
            return True
        self.coordinator.stats.inc_value("media/reused")  # as a later page of one process
        return False

    def _hop(self, request: Request, fetch: MediaFetch, keys: list[str]) -> bool:
        """A redirect hop of a fetch this member holds: claim its target too."""
        target = media_key(request.url)
        if target is None or target in keys:
            return True
        local = fetch.crawl.media.get(target)
        if local is not None and local.current() is not fetch:
            return True  # a fetch of this process has it: the redirect middleware merges them
        answer = self.leases.claim(fetch.crawl.id, [target])[0]
        if answer == MINE:
            keys.append(target)
            fetch.crawl.media[target] = fetch  # later references here join this fetch
            return True
        other = fetch.crawl.media[target] = MediaFetch(fetch.crawl, normalize_url(request.url).url)
        other.uses, fetch.uses = fetch.uses, []
        fetch.merged = other  # published as an alias of ``target``
        self.coordinator.stats.inc_value("media/merged")
        self._settle(other, target, answer, requested=False)
        return False

    def _settle(self, fetch: MediaFetch, key: str, answer: bytes, *, requested: bool) -> bool:
        """Act on a claim's answer; True when this member fetches (``requested``: its request
        is on its way; otherwise one is scheduled)."""
        stats = self.coordinator.stats
        for _ in range(MAX_ALIASES):
            if answer == WAIT:
                self.waiting[fetch] = key
                return False
            if answer == MINE:
                self.held[fetch] = [key]
                fetch.crawl.media.setdefault(key, fetch)
                if not requested:
                    self.coordinator.schedule(self.coordinator.requests.media(fetch))
                return True
            try:
                result = decode(answer)
            except BadResult as error:
                stats.inc_value("errors/fleet-result")
                logger.error("%s: %s; fetching it here", fetch.url, error)
                self.held[fetch] = []
                if not requested:
                    self.coordinator.schedule(self.coordinator.requests.media(fetch))
                return True
            if not isinstance(result, Alias):
                self._resolve(fetch, result)
                return False
            key = result.key
            answer = self.leases.claim(fetch.crawl.id, [key])[0]
        self._resolve(fetch, Failed("redirect-limit"))
        return False

    def _resolve(self, fetch: MediaFetch, result: Result) -> None:
        """Another member's fetch is done: the pages waiting here go on as with a local one."""
        stats = self.coordinator.stats
        uses, fetch.uses = fetch.uses, []
        if isinstance(result, Fetched):
            stats.inc_value("fleet/media-shared")
            fetch.outcome = result.outcome
            self.owners[result.outcome.hashed.sha256] = result.owner
            for use in uses:
                self.coordinator.join(fetch, use)
        else:
            stats.inc_value("fleet/media-failed")
            fetch.failed = result.reason if isinstance(result, Failed) else "error"
        for use in uses:
            self.coordinator.release(use.visit)

    # -- the loop: publish, poll, renew -----------------------------------------------------

    def publish_done(self, fetch: MediaFetch, *, scraped: bool) -> None:
        """Publish ``fetch`` if it is this member's and finished (``scraped``: its item went
        through every pipeline, so unknown media's bytes are in the review buffer)."""
        keys = self.held.get(fetch)
        if keys is None:
            return
        result: Result
        if fetch.outcome is not None and (scraped or fetch.failed is not None):
            result = Fetched(fetch.outcome, self.member)
        elif fetch.failed is not None:
            result = Failed(fetch.failed)
        elif fetch.merged is not None and (key := media_key(fetch.merged.current().url)):
            result = Alias(key)
        else:
            return
        self.leases.publish(fetch.crawl.id, keys, encode(result))
        del self.held[fetch]
        self.coordinator.stats.inc_value("fleet/media-published")

    def tick(self) -> None:
        for fetch in list(self.held):
            self.publish_done(fetch, scraped=False)
        by_crawl: dict[str, list[tuple[MediaFetch, str]]] = {}
        for fetch, key in self.waiting.items():
            by_crawl.setdefault(fetch.crawl.id, []).append((fetch, key))
        for crawl, pairs in by_crawl.items():
            answers = self.leases.claim(crawl, [key for _, key in pairs])
            for (fetch, key), answer in zip(pairs, answers, strict=True):
                if answer == WAIT:
                    continue
                del self.waiting[fetch]
                if answer == MINE:
                    self.coordinator.stats.inc_value("fleet/lease-expired")
                    logger.info("%s: its fetcher is gone; fetching it here", fetch.url)
                self._settle(fetch, key, answer, requested=False)

    def renew(self) -> None:
        lost = self.leases.renew(self._held_leases())
        if lost:
            self.coordinator.stats.inc_value("fleet/lease-lost", lost)

    def close(self) -> None:
        """Stopping: let go of the leases of fetches not done, so others take them at once."""
        self.leases.release(self._held_leases())
        self.held.clear()

    def fetch_here(self) -> None:
        """Redis is gone: every fetch waited for is made here (it may be made twice in the
        fleet; nothing is lost)."""
        waiting, self.waiting = self.waiting, {}
        for fetch in waiting:
            self.held[fetch] = []
            self.coordinator.schedule(self.coordinator.requests.media(fetch))

    def _held_leases(self) -> list[tuple[str, str]]:
        return [(fetch.crawl.id, key) for fetch, keys in self.held.items() for key in keys]
