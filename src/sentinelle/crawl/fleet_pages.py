"""Which pages the fleet visits: each once, within the page caps counted for the whole fleet.

A member's own frontier (:class:`.scope.Frontier`, its caps lifted by the scheduler) checks
what it can alone: length, its own duplicates, depth, scope. Then :meth:`FleetPages.admit`
asks Redis, in one atomic step (:data:`.fleet_scripts.ADMIT`), in the order one process
checks: a page any member admitted is a duplicate; then ``--max-pages`` and
``--max-pages-per-host`` against the fleet's counts (``pages:<crawl>``); an admitted page is
marked seen, counted and queued at once, so two members can never both take the last
place, and a member dying cannot leave a page admitted but never queued.
"""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING, Any

from scrapy import Request

from sentinelle.crawl.exceptions import InvalidUrl
from sentinelle.crawl.fleet_scripts import ADMIT
from sentinelle.crawl.normalize import normalize_url
from sentinelle.crawl.scope import Skip

if TYPE_CHECKING:
    from sentinelle.crawl.coordinator import Coordinator
    from sentinelle.crawl.fleet_keys import FleetKeys
    from sentinelle.crawl.visits import Visit


class FleetPages:
    def __init__(self, server: Any, keys: FleetKeys, dupefilter: Any, coordinator: Coordinator) -> None:
        self.keys, self.df, self.coordinator = keys, dupefilter, coordinator
        self._admit = server.register_script(ADMIT)

    def admit(self, visit: Visit, queued: str, score: int) -> bool:
        """True when the fleet visits ``visit``'s page: it is in the shared queue (as
        ``queued``, with ``score``) then; else the visit ends here, counted as one process
        counts a page it does not visit (``links/<reason>``)."""
        options = self.coordinator.options
        verdict = self._admit(
            keys=[self.keys.dupefilter, self.keys.pages(visit.crawl.id), self.keys.queue],
            args=[self._fingerprint(visit.url), normalize_url(visit.url).host,
                  options.max_pages, options.max_pages_per_host, queued, score],
        )
        verdict = verdict.decode() if isinstance(verdict, bytes) else str(verdict)
        if verdict == "ok":
            return True
        stats = self.coordinator.stats
        stats.inc_value(f"links/{verdict}")
        stats.inc_value(f"fleet/{verdict}")
        if visit.referrer is not None:
            stats.inc_value("links/followed", -1)  # counted when this member admitted it
        elif verdict != Skip.DUPLICATE:
            visit.crawl.seed_failure = (f"seed-{verdict}", False)
        self.coordinator.release(visit)  # ends the visit: nothing was fetched
        return False

    def _fingerprint(self, url: str) -> str:
        fingerprint: str = self.df.request_fingerprint(Request(url))
        return fingerprint

    def seen(self, url: str) -> bool:
        """Mark ``url`` seen by the fleet; True when it was already."""
        return bool(self.df.request_seen(Request(url)))

    def watch_redirects(self, shared: Container[str]) -> None:
        """A redirect hop to a page any member admitted ends the visit, as in one process."""
        coordinator = self.coordinator
        local = coordinator.redirected_page

        def redirected_page(visit: Visit, url: str) -> bool:
            try:
                key = normalize_url(url)
            except InvalidUrl:
                return local(visit, url)
            retry = key.key in visit.hops
            if local(visit, url):
                return True
            if retry or visit.crawl.id not in shared:
                return False
            return self.seen(key.url)

        coordinator.redirected_page = redirected_page  # type: ignore[method-assign]
