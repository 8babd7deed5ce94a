"""``sentinelle crawl --queue``: crawl requests claimed from the database, until stopped.

The spider asks for work when it is idle: up to ``batch`` due requests are claimed
(:func:`sentinelle.crawl.queue.claim`, priority first) and each becomes a crawl of its own
(its URL the seed, ``f"{pk}:{attempts}"`` the run label, its own limits). When a crawl is
finished the request is marked ``done``, or failed when its seed could not be fetched:
``fail(..., retry=True)`` for transient causes (timeouts, DNS, 5xx...), for good otherwise
(egress refused...). A seed answering 404 or 410 is a result (the page is gone), so done.

On start, the requests still ``running`` and claimed by this worker's name (it was stopped
or killed) are crawled again under the same run label, so nothing is recorded twice; with
the same job folder, the pages its journal lists as finished are replayed, not fetched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from sentinelle.audit.services import Actor
from sentinelle.crawl.exceptions import InvalidTransition
from sentinelle.crawl.models import CrawlRequest, Status
from sentinelle.crawl.queue import claim, fail, finish
from sentinelle.crawl.scope import Frontier
from sentinelle.crawl.visits import Crawl

if TYPE_CHECKING:
    from scrapy import Request

    from sentinelle.crawl.coordinator import Coordinator

logger = logging.getLogger(__name__)

#: Seed failures after which the request is done, not failed: the page answered.
GONE = frozenset({"http-404", "http-410"})


def _claim(batch: int, actor: Actor) -> list[tuple[int, str, int]]:
    return [(r.pk, r.url, r.attempts) for r in claim(batch, actor=actor)]


def _running_claims(worker: str) -> list[tuple[int, str, int]]:
    rows = CrawlRequest.objects.filter(status=Status.RUNNING, claimed_by=worker).order_by("id")
    return [(row.pk, row.url, row.attempts) for row in rows]


def _close(pk: int, failure: tuple[str, bool] | None, actor: Actor) -> str:
    try:
        if failure is None or failure[0] in GONE:
            finish(pk, actor=actor)
            return "done"
        reason, transient = failure
        fail(pk, f"seed: {reason}", actor=actor, retry=transient)
        return "failed"
    except InvalidTransition:  # cancelled (or released) while we crawled: leave it be
        return "not-running"


class QueueFeed:
    def __init__(
        self,
        coordinator: Coordinator,
        *,
        actor: Actor,
        batch: int,
        poll: float,
        until_empty: bool,
        refresh: Callable[[], None] | None = None,
    ) -> None:
        self.coordinator = coordinator
        #: Called (on the database thread) before each claim: picks up changed lists.
        self.refresh = refresh
        self.actor = actor
        self.batch = batch
        self.poll = poll
        self.until_empty = until_empty
        self.claiming = False
        self.empty = False
        self._last_poll = 0.0
        coordinator.on_crawl_finished = self._finished

    def _crawl(self, pk: int, attempts: int) -> Crawl:
        run = f"{pk}:{attempts}"  # also the crawl's name in the journal: one per attempt
        return Crawl(id=run, run=run, frontier=Frontier(self.coordinator.options), request_pk=pk)

    async def resume(self) -> list[Request]:
        """Requests this worker claimed and still holds (it was stopped or killed): crawled
        again under the same run label, replaying what the journal, if any, says is done."""
        held = await self.coordinator.database.read(_running_claims, self.actor.name)
        journal = self.coordinator.journal
        requests: list[Request] = []
        for pk, url, attempts in held:
            self.coordinator.stats.inc_value("queue/resumed")
            requests += self.coordinator.open_crawl(self._crawl(pk, attempts), [url])
        if journal is not None:
            current = {f"{pk}:{attempts}" for pk, _, attempts in held}
            for name in set(journal.state.claims) - journal.state.done - current:
                journal.write("done", o=name)  # no longer ours: finished, or another worker's
        return requests

    def keep_open(self) -> bool:
        """Called when the spider is idle: claim more work; keep the spider open?"""
        if self.coordinator.closing:
            return False
        due = time.monotonic() - self._last_poll >= (self.poll if self.empty else 0)
        if not self.claiming and due:
            self.claiming = True
            self.coordinator.background(self._claim())
        return self.claiming or not (self.until_empty and self.empty)

    async def _claim(self) -> None:
        try:
            if self.refresh is not None:
                await self.coordinator.database.write(self.refresh)
            claimed = await self.coordinator.database.write(_claim, self.batch, self.actor)
        finally:
            self._last_poll = time.monotonic()
            self.claiming = False
        self.empty = not claimed
        for pk, url, attempts in claimed:
            self.coordinator.stats.inc_value("queue/claimed")
            crawl = self._crawl(pk, attempts)
            if self.coordinator.journal is not None:
                self.coordinator.journal.write("claim", o=crawl.id, request=pk, url=url)
            for request in self.coordinator.open_crawl(crawl, [url]):
                self.coordinator.schedule(request)

    async def _finished(self, crawl: Crawl) -> None:
        if crawl.request_pk is None:
            return
        result = await self.coordinator.database.write(
            _close, crawl.request_pk, crawl.seed_failure, self.actor
        )
        self.coordinator.stats.inc_value(f"queue/{result}")
