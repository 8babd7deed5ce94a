"""One fleet member's side of Redis: its parts, its heartbeat, and the loop that drives them.

:class:`FleetMember` assembles, for one process, :class:`.FleetPages` (admission),
:class:`.InFlight` (the pages it took from the shared queue), :class:`.FleetMedia` (with
its :class:`.MediaLeases`) and :class:`.FleetReview`; it gives the shared crawls the fleet's
one run label (``run:<crawl>``, the first member's), and runs a loop on the reactor every
:data:`TICK_SECONDS`: heartbeat, leases and recovery of dead members' pages every third of
the lease, then publish finished media, poll the ones waited for, answer and read review
requests, forget finished pages, look whether others still work, and wake the engine when
there is something to take.

Redis failing (or a bug in the loop) is counted (``errors/fleet``) and logged once; when it
lasts longer than a lease, what this member waits for is done here (perhaps twice in the
fleet; nothing is lost). On close, the member deletes its heartbeat, puts back the pages it
did not finish and lets go of its leases, so the others take over at once.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Final

from redis.exceptions import RedisError

from sentinelle.crawl.fleet_keys import FleetKeys, member_id
from sentinelle.crawl.fleet_leases import MediaLeases
from sentinelle.crawl.fleet_media import FleetMedia
from sentinelle.crawl.fleet_pages import FleetPages
from sentinelle.crawl.fleet_queue import InFlight, SharedQueue
from sentinelle.crawl.fleet_review import FleetReview
from sentinelle.crawl.items import MediaItem

if TYPE_CHECKING:
    from collections.abc import Callable

    from sentinelle.crawl.coordinator import Coordinator
    from sentinelle.crawl.visits import Crawl

logger = logging.getLogger(__name__)

TICK_SECONDS: Final = 0.05


class FleetMember:
    def __init__(
        self, server: Any, keys: FleetKeys, coordinator: Coordinator, *, dupefilter: Any,
        queue: SharedQueue, shared: dict[str, Crawl], lease_seconds: float,
        wake: Callable[[], None], pages_waiting: Callable[[], bool],
    ) -> None:
        self.server, self.keys, self.coordinator = server, keys, coordinator
        self.member = member_id()
        self.lease_seconds = lease_seconds
        self.pages = FleetPages(server, keys, dupefilter, coordinator)
        self.inflight = InFlight(server, keys, self.member, queue, coordinator)
        self.media = FleetMedia(MediaLeases(server, keys, self.member, lease_seconds), coordinator)
        self.review = FleetReview(server, keys, self.member, coordinator, self.media.owners)
        self.pages.watch_redirects(shared)
        for crawl in shared.values():
            server.set(keys.run(crawl.id), crawl.run, nx=True)
            crawl.run = server.get(keys.run(crawl.id)).decode()
        self._wake, self._pages_waiting = wake, pages_waiting
        self._renew_at, self._ticks = 0.0, 0
        self._failing_since: float | None = None
        self._loop: Any = None

    def start(self, **_: Any) -> None:
        """Scrapy's ``spider_opened`` (the coordinator counts into Scrapy's stats from then)."""
        from twisted.internet import task

        self._beat()
        self.inflight.look()  # before Scrapy first asks whether this member is done
        self._loop = task.LoopingCall(self.tick)
        self._loop.start(TICK_SECONDS, now=True)

    def close(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        try:
            self.server.delete(self.keys.member(self.member))
            self.inflight.close(interrupted=self.coordinator.closing)
            self.media.close()
        except RedisError:  # the heartbeat and the leases expire; the others recover the rest
            logger.exception("handing this member's work back to the fleet failed")

    def scraped(self, item: Any, **_: Any) -> None:
        """Scrapy's ``item_scraped``: a media file went through every pipeline."""
        if isinstance(item, MediaItem):
            try:
                self.media.publish_done(item.fetch, scraped=True)
            except RedisError:  # published by the loop once Redis answers
                self.outage()

    def tick(self) -> None:
        try:
            if time.monotonic() >= self._renew_at:
                self._renew_at = time.monotonic() + self.lease_seconds / 3
                self._beat()
                self.media.renew()
                if recovered := self.inflight.recover():
                    self.coordinator.stats.inc_value("fleet/pages-recovered", recovered)
            self.media.tick()
            self.review.tick()
            if not self.coordinator.closing:  # pages finished while stopping go back
                self.inflight.sweep()
            self._ticks += 1
            working = self.inflight.others_working
            if self._ticks % 4 == 0:
                self.inflight.look()
            if self._pages_waiting() or working != self.inflight.others_working:
                self._wake()  # take the pages now, or see at once that the fleet is done
            self._failing_since = None
        except Exception:  # Redis, or a bug: the loop must go on (a LoopingCall stops on one)
            self.outage()

    def outage(self) -> None:
        self.coordinator.stats.inc_value("errors/fleet")
        now = time.monotonic()
        if self._failing_since is None:
            self._failing_since = now
            logger.exception("the fleet's Redis cannot be used")
        elif now - self._failing_since > self.lease_seconds:
            self.media.fetch_here()
            self.review.fetch_here()

    def _beat(self) -> None:
        # The heartbeat before joining the members: a member is never seen joined and dead.
        self.server.set(self.keys.member(self.member), "1", px=int(self.lease_seconds * 1000))
        self.server.sadd(self.keys.members, self.member)
