"""The shared page queue, and the pages each member is doing, so none is lost with a member.

A member takes a page from the queue into its in-flight hash (``inflight:<id>``) in one
atomic step (:data:`.fleet_scripts.TAKE`), and deletes it there once the page is finished
(its media recorded, its links followed). A member that stops cleanly puts back what it did
not finish; one that dies stops renewing its heartbeat (``member:<id>``), and once that has
expired, any other member puts its pages back (:data:`.fleet_scripts.REQUEUE`,
``fleet/pages-recovered``). Whoever takes such a page does it again under the fleet's one
run label, so what the dead member recorded is found recorded, never recorded twice.

While another member holds pages (their links may still come, or they may come back), a
member does not stop: :attr:`InFlight.others_working` keeps its scheduler asking.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from scrapy_redis.queue import PriorityQueue  # type: ignore[import-untyped]

from sentinelle.crawl.fleet_scripts import REQUEUE, TAKE

if TYPE_CHECKING:
    from scrapy import Request

    from sentinelle.crawl.coordinator import Coordinator
    from sentinelle.crawl.fleet_keys import FleetKeys
    from sentinelle.crawl.visits import Visit

logger = logging.getLogger(__name__)

#: ``meta[FLEET]``: a page request as it travels through Redis: its crawl, depth, referrer.
FLEET: Final = "sentinelle_fleet"


class SharedQueue(PriorityQueue):  # type: ignore[misc,unused-ignore]  # untyped base
    """scrapy-redis's priority queue (``SCHEDULER_QUEUE_CLASS``), taken from atomically."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._take = self.server.register_script(TAKE)

    def encode(self, request: Request) -> str:
        data: str = self._encode_request(request)  # JSON text (.redis_json)
        return data

    def take(self, inflight: str) -> bytes | None:
        """The most urgent page, as queued, now in ``inflight``."""
        data: bytes | None = self._take(keys=[self.key, inflight])
        return data

    def decode(self, data: bytes) -> Request:
        request: Request = self._decode_request(data)
        return request


class InFlight:
    def __init__(
        self, server: Any, keys: FleetKeys, member: str, queue: SharedQueue, coordinator: Coordinator
    ) -> None:
        self.server, self.keys, self.member, self.queue = server, keys, member, queue
        self.coordinator = coordinator
        self._requeue = server.register_script(REQUEUE)
        #: Pages this member took and is doing: the visit, and the page as queued.
        self.pages: dict[Visit, bytes] = {}
        #: Whether another member holds pages (looked at by :meth:`look`).
        self.others_working = False

    def take(self) -> tuple[Request, bytes] | None:
        """A page from the queue (kept in flight), or None. One that cannot be read (another
        version's, damaged) is dropped, counted and logged."""
        data = self.queue.take(self.keys.inflight(self.member))
        if data is None:
            return None
        try:
            request = self.queue.decode(data)
            shared = request.meta[FLEET]
            if not isinstance(shared["crawl"], str) or not isinstance(shared["depth"], int):
                raise TypeError(f"not a page of the fleet: {shared!r}")
            if not isinstance(shared["referrer"], str | None):
                raise TypeError(f"not a page of the fleet: {shared!r}")
        except (ValueError, TypeError, KeyError) as error:
            self.server.hdel(self.keys.inflight(self.member), data)
            self.coordinator.stats.inc_value("errors/fleet-request")
            logger.error("dropped an unreadable page request %r: %r", data[:200], error)
            return None
        return request, data

    def doing(self, visit: Visit, data: bytes) -> None:
        self.pages[visit] = data

    def put_back(self, request: Request, data: bytes) -> None:
        """A page this member does not do (another crawl's): back to the queue."""
        self.queue.push(request)
        self.server.hdel(self.keys.inflight(self.member), data)

    def sweep(self) -> None:
        """Forget the pages finished since the last sweep (not while stopping: see
        :meth:`close`)."""
        done = [data for visit, data in self.pages.items() if visit.finished]
        if done:
            self.server.hdel(self.keys.inflight(self.member), *done)
            self.pages = {visit: data for visit, data in self.pages.items() if not visit.finished}

    def look(self) -> None:
        others = [m.decode() for m in self.server.smembers(self.keys.members) if m.decode() != self.member]
        self.others_working = any(self.server.hlen(self.keys.inflight(other)) for other in others)

    def recover(self) -> int:
        """Put back the pages of members whose heartbeat expired; how many."""
        recovered = 0
        for raw in self.server.smembers(self.keys.members):
            other = raw.decode()
            if other != self.member:
                recovered += max(0, self._requeue_of(other))
        return recovered

    def close(self, *, interrupted: bool) -> None:
        """Stopping (the heartbeat deleted already): what is not finished goes back; when
        ``interrupted`` (Ctrl-C), also what finished during the stop, whose links were not
        followed."""
        if not interrupted:
            self.sweep()
        self._requeue_of(self.member)
        self.pages.clear()

    def _requeue_of(self, member: str) -> int:
        keys = [self.keys.inflight(member), self.queue.key, self.keys.members, self.keys.member(member)]
        return int(self._requeue(keys=keys, args=[member]))
