"""A crawler fleet: processes on one or many machines sharing one crawl through Redis.

With ``SENTINELLE_REDIS_URL`` set, :func:`.fleet_config.fleet_settings` replaces Scrapy's
scheduler with
:class:`FleetScheduler`, a scrapy-redis scheduler whose Redis queue holds the fleet's *page*
requests (JSON, :mod:`.redis_json`). Members share the crawl of the command line's URLs
(every member runs the same command); a queued crawl request (``--queue``) is claimed by
one member in the database and crawled by it alone, as without a fleet.

* Pages: a page this member admits (its frontier, caps lifted: length, duplicates, depth,
  scope) is admitted by the fleet (:mod:`.fleet_pages`: once, within the fleet's caps),
  then goes to the Redis queue as plain data (URL, crawl, depth, referrer); whichever member
  pops it makes a :class:`.visits.Visit` of its own (``fleet/adopted``), and keeps its
  retries and redirect hops.
* Media (:mod:`.fleet_media`) and review media (:mod:`.fleet_review`) are claimed when
  their request is scheduled; stylesheets, frames and the rest stay with the member that
  read the page, in a local priority queue served before the shared one.

:class:`.FleetMember` holds the Redis side and its loop. Keys: :mod:`.fleet_keys`.
"""

from __future__ import annotations

import heapq
import itertools
import weakref
from dataclasses import replace
from typing import Any, Final

from redis.exceptions import RedisError
from scrapy import Request, signals
from scrapy_redis.scheduler import Scheduler  # type: ignore[import-untyped]

from sentinelle.crawl.fleet_config import LEASE_KEY, PREFIX_KEY
from sentinelle.crawl.fleet_keys import FleetKeys
from sentinelle.crawl.fleet_member import FleetMember
from sentinelle.crawl.fleet_queue import FLEET
from sentinelle.crawl.scope import Frontier
from sentinelle.crawl.spider import KEY, MEDIA, PAGE, REVIEW, ROLE
from sentinelle.crawl.visits import Crawl, Visit

#: A member's own page caps are lifted: the fleet counts (:mod:`.fleet_pages`).
UNCAPPED: Final = 2**62


class FleetScheduler(Scheduler):  # type: ignore[misc,unused-ignore]  # untyped base
    @classmethod
    def from_crawler(cls, crawler: Any) -> FleetScheduler:
        scheduler: FleetScheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.coordinator = spider.coordinator
        self.local: list[tuple[int, int, Request]] = []
        self.order = itertools.count()
        #: The crawls members share: the command line's URLs (the same on every member).
        self.shared: dict[str, Crawl] = {crawl.id: crawl for crawl, _ in spider.seeds}
        for crawl in self.shared.values():
            options = replace(crawl.frontier.options, max_pages=UNCAPPED, max_pages_per_host=UNCAPPED)
            crawl.frontier = Frontier(options)
        #: Visits the fleet admitted (or this member adopted): their retries and hops stay here.
        self.admitted: weakref.WeakSet[Visit] = weakref.WeakSet()
        keys = FleetKeys(self.crawler.settings.get(PREFIX_KEY) or "", spider.name)
        self.fleet = FleetMember(
            self.server, keys, self.coordinator, dupefilter=self.df, queue=self.queue,
            shared=self.shared, lease_seconds=self.crawler.settings.getfloat(LEASE_KEY),
            wake=self._wake, pages_waiting=lambda: bool(self.shared) and not self.local and len(self.queue) > 0,
        )
        self.crawler.signals.connect(self.fleet.scraped, signal=signals.item_scraped)
        self.crawler.signals.connect(self.fleet.start, signal=signals.spider_opened)

    def close(self, reason: str) -> None:
        self.fleet.close()
        super().close(reason)

    def _wake(self) -> None:
        slot = getattr(self.crawler.engine, "_slot", None)  # as SentinelleSpider._wake
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    # -- the queue ------------------------------------------------------------------------------

    def _queued(self) -> int:
        try:
            return len(self.queue)
        except RedisError:
            self.fleet.outage()
            return 0

    def __len__(self) -> int:
        return len(self.local) + self._queued()

    def has_pending_requests(self) -> bool:
        # While another member holds pages, their links may still come (or, if it died,
        # the pages themselves): keep asking rather than stop.
        if self.local:
            return True
        return bool(self.shared) and (self._queued() > 0 or self.fleet.inflight.others_working)

    def enqueue_request(self, request: Request) -> bool:
        role = request.meta.get(ROLE)
        item: Any = request.meta.get(KEY)
        crawl = getattr(item, "crawl", None)
        try:
            if crawl is not None and crawl.id in self.shared:
                if role == PAGE and item not in self.admitted:
                    return self._share(request, item)
                if role == MEDIA and not self.fleet.media.admit(request, item):
                    return False
                if role == REVIEW and not self.fleet.review.admit(request):
                    return False
        except RedisError:  # done here, as without a fleet
            self.fleet.outage()
            if role == PAGE:
                self.admitted.add(item)  # its retries and hops stay here too
        heapq.heappush(self.local, (-request.priority, next(self.order), request))
        return True

    def _share(self, request: Request, visit: Visit) -> bool:
        shared = Request(
            visit.url,
            callback=request.callback,
            errback=request.errback,
            meta={
                ROLE: PAGE,
                FLEET: {"crawl": visit.crawl.id, "depth": visit.depth, "referrer": visit.referrer},
                "download_maxsize": request.meta.get("download_maxsize"),
            },
            priority=request.priority,
            dont_filter=True,
        )
        if not self.fleet.pages.admit(visit, self.queue.encode(shared), -shared.priority):
            return False
        self.coordinator.stats.inc_value("fleet/shared")
        visit.crawl.open_pages -= 1  # handed to the fleet: whoever takes it counts it
        return True

    def next_request(self) -> Request | None:
        if self.local:
            return heapq.heappop(self.local)[2]
        if not self.shared:  # a --queue member: its crawls are its own
            return None
        try:
            taken = self.fleet.inflight.take()
        except RedisError:
            self.fleet.outage()
            return None
        return None if taken is None else self._adopt(*taken)

    def _adopt(self, request: Request, data: bytes) -> Request | None:
        shared = request.meta.pop(FLEET)
        crawl = self.shared.get(shared["crawl"])
        if crawl is None:  # not a crawl this member runs: put it back
            request.meta[FLEET] = shared
            self.fleet.inflight.put_back(request, data)
            self.coordinator.stats.inc_value("fleet/foreign")
            return None
        self.coordinator.crawls.setdefault(crawl.id, crawl)
        visit = Visit(crawl, request.url, shared["depth"], shared["referrer"])
        crawl.open_pages += 1
        crawl.frontier.also_seen(request.url)
        self.admitted.add(visit)
        self.fleet.inflight.doing(visit, data)
        request.meta[KEY] = visit
        self.coordinator.stats.inc_value("fleet/adopted")
        return request
