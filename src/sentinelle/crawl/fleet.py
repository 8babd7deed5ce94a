"""A crawler fleet: processes on one or many machines sharing one frontier through Redis.

With ``SENTINELLE_REDIS_URL`` set, :func:`fleet_settings` replaces Scrapy's scheduler with
:class:`FleetScheduler`, a scrapy-redis :class:`~scrapy_redis.scheduler.Scheduler` whose queue
holds the fleet's *page* requests (JSON, :mod:`.redis_json`) and whose
:class:`~scrapy_redis.dupefilter.RFPDupeFilter` (a Redis set) admits each page URL once for
the whole fleet:

* A page request the coordinator makes is checked against the shared filter, whatever its
  ``dont_filter`` (the spider sets it on every request, for Scrapy's in-process filter). Seen
  already: the visit ends here as a duplicate (``links/duplicate``). New: it goes to the
  Redis queue as plain data (URL, crawl id, depth, referrer), and this process stops
  counting it; whichever process pops it makes a fresh :class:`.visits.Visit` of its own.
* Redirects: a hop to a page any process admitted already ends the visit, as in one process.
* Media, stylesheets, frames and review re-fetches stay in the process that read the page
  (their page waits for them in memory), in a local priority queue served first.

Keys: ``<SENTINELLE_REDIS_PREFIX><spider>:requests`` and ``...:dupefilter``. They persist
when a process stops (another may still be working); delete them when the fleet is done.
"""

from __future__ import annotations

import heapq
import itertools
from typing import TYPE_CHECKING, Any, Final

from scrapy import Request
from scrapy_redis.scheduler import Scheduler  # type: ignore[import-untyped]

from sentinelle.config import setting
from sentinelle.crawl.exceptions import InvalidUrl
from sentinelle.crawl.normalize import normalize_url
from sentinelle.crawl.spider import KEY, PAGE, ROLE
from sentinelle.crawl.visits import Visit

if TYPE_CHECKING:
    from sentinelle.crawl.coordinator import Coordinator
    from sentinelle.crawl.visits import Crawl

URL_SETTING: Final = "SENTINELLE_REDIS_URL"
PREFIX_SETTING: Final = "SENTINELLE_REDIS_PREFIX"
#: ``meta[FLEET]``: a page request as it travels through Redis.
FLEET: Final = "sentinelle_fleet"


def fleet_settings(url: str | None = None, prefix: str | None = None) -> dict[str, Any]:
    """The Scrapy settings of a fleet member; ``{}`` when no Redis is configured."""
    url = url if url is not None else setting(URL_SETTING)
    if not url:
        return {}
    prefix = prefix if prefix is not None else (setting(PREFIX_SETTING) or "")
    return {
        "SCHEDULER": f"{__name__}.FleetScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}%(spider)s:dupefilter",
        "SCHEDULER_SERIALIZER": "sentinelle.crawl.redis_json",
        "SCHEDULER_PERSIST": True,  # never flush the shared queue when one member stops
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "REDIS_URL": url,
    }


class FleetScheduler(Scheduler):  # type: ignore[misc,unused-ignore]  # untyped base
    def open(self, spider: Any) -> None:
        super().open(spider)
        self.coordinator: Coordinator = spider.coordinator
        self.local: list[tuple[int, int, Request]] = []
        self.order = itertools.count()
        self.crawls: dict[str, Crawl] = {}
        redirected = self.coordinator.redirected_page

        def redirected_page(visit: Visit, url: str) -> bool:
            """A hop to a page any member admitted already ends the visit."""
            try:
                key = normalize_url(url)
            except InvalidUrl:
                return redirected(visit, url)
            retry = key.key in visit.hops
            if redirected(visit, url):
                return True
            if retry:
                return False
            return bool(self.df.request_seen(Request(key.url)))

        self.coordinator.redirected_page = redirected_page

    def __len__(self) -> int:
        return len(self.local) + len(self.queue)

    def has_pending_requests(self) -> bool:
        return bool(self.local) or len(self.queue) > 0

    def enqueue_request(self, request: Request) -> bool:
        if request.meta.get(ROLE) != PAGE or FLEET in request.meta:
            heapq.heappush(self.local, (-request.priority, next(self.order), request))
            return True
        visit: Visit = request.meta[KEY]
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
        self.crawls[visit.crawl.id] = visit.crawl
        if self.df.request_seen(shared):
            self.coordinator.stats.inc_value("links/duplicate")
            self.coordinator.stats.inc_value("fleet/duplicate")
            self.coordinator.release(visit)  # ends the visit: another process has the page
            return False
        self.queue.push(shared)
        self.coordinator.stats.inc_value("fleet/shared")
        visit.crawl.open_pages -= 1  # handed to the fleet: whoever pops it counts it
        return True

    def next_request(self) -> Request | None:
        if self.local:
            return heapq.heappop(self.local)[2]
        request: Request | None = self.queue.pop(0)
        if request is None:
            return None
        return self._adopt(request)

    def _adopt(self, request: Request) -> Request | None:
        shared = request.meta.pop(FLEET, None)
        crawl = self.crawls.get(shared["crawl"]) if shared else None
        if shared is None or crawl is None:
            # A page of a crawl this process does not run (another seed set or queued
            # request): put it back for a member that does.
            if shared is not None:
                request.meta[FLEET] = shared
                self.queue.push(request)
            self.coordinator.stats.inc_value("fleet/foreign")
            return None
        self.coordinator.crawls.setdefault(crawl.id, crawl)
        visit = Visit(crawl, request.url, int(shared["depth"]), shared["referrer"])
        crawl.open_pages += 1
        crawl.frontier.also_seen(request.url)
        request.meta[KEY] = visit
        self.coordinator.stats.inc_value("fleet/adopted")
        return request
