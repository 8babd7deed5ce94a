"""The scheduler: due work lives as rows with a due time; each tick enqueues what is due.

A source of due work is anything with a ``name`` and ``enqueue_due(now, limit)`` that
enqueues a task per due row and returns how many it enqueued. The sources in use are
assembled in :mod:`sentinelle.worker.sources`. A source that fails is logged and skipped
for this tick: one broken kind of work does not stop the others.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from django.db import DatabaseError

from sentinelle import clock
from sentinelle.exceptions import SentinelleError

logger = logging.getLogger(__name__)

#: Rows a source enqueues per tick at most (the rest wait for the next tick).
TICK_LIMIT = 200


class DueWork(Protocol):
    name: str

    def enqueue_due(self, now: datetime, limit: int) -> int: ...


class Scheduler:
    def __init__(self, sources: Sequence[DueWork], *, limit: int = TICK_LIMIT) -> None:
        self.sources = tuple(sources)
        self.limit = limit

    def tick(self, now: datetime | None = None) -> dict[str, int]:
        """Enqueue every source's due work; how many tasks each enqueued."""
        moment = now or clock.current().now()
        enqueued = {}
        for source in self.sources:
            try:
                enqueued[source.name] = source.enqueue_due(moment, self.limit)
            except (DatabaseError, SentinelleError):
                logger.exception("scheduler: %s could not enqueue its due work", source.name)
                enqueued[source.name] = 0
        return enqueued
