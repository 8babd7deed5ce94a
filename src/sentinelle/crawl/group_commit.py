"""Page visits and fetched files written in batches: one transaction for whatever arrived
meanwhile.

Writing one file's sightings cost a dozen queries and a transaction, a page visit half a
dozen; at a hundred files a second that kept the crawler's database thread, and through
Python's GIL the reactor, busy. :class:`GroupCommit` is a group commit on the reactor's side:
the first record handed over while nothing is being written waits ``linger`` seconds (50 ms)
for others, or until ``limit`` records wait; records handed over while a batch is being
written go together into the next one, written as soon as that one is committed.

:func:`.batch_writes.record_batch` writes a batch in one transaction with a few queries for
the whole of it. Each caller's ``await`` returns only once that transaction is committed, so
a page is journaled only after everything on it is in the database: a crawler killed while
a batch is being written loses that batch as a whole, none of its pages was journaled, and
the resumed crawl does them again. A record that cannot be written (a bad value, the
database gone) fails alone: its caller gets the exception, the others their answers.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Final

from sentinelle.crawl.batch_writes import (
    Answer,
    MediaRecord,
    PageVisit,
    Record,
    Recorded,
    record_batch,
)

if TYPE_CHECKING:
    from sentinelle.crawl.database import Database

#: The most records written in one transaction.
BATCH_LIMIT: Final = 256
#: How long the first record waits for others when nothing is being written (seconds).
LINGER: Final = 0.05

_Waiting = tuple[Record, "asyncio.Future[Answer]"]


class GroupCommit:
    def __init__(
        self, database: Database, limit: int = BATCH_LIMIT, linger: float = LINGER
    ) -> None:
        self.database = database
        self.limit = limit
        self.linger = linger
        self._waiting: list[_Waiting] = []
        #: A batch is being written, or is due (its timer runs).
        self._writing = False
        self._timer: asyncio.TimerHandle | None = None
        #: The batch being written (the loop keeps only a weak reference to a task).
        self._tasks: set[asyncio.Future[list[Answer]]] = set()
        #: Batches written, and the records in them.
        self.batches = 0
        self.records = 0

    async def record(self, record: MediaRecord) -> list[Recorded]:
        """Record a fetched file's sightings; returns once they are committed."""
        answer = await self._submit(record)
        assert isinstance(answer, list), "a file's answer is its sightings"
        return answer

    async def visit(self, visit: PageVisit) -> None:
        """Record a page visit; returns once it is committed."""
        await self._submit(visit)

    async def _submit(self, record: Record) -> Answer:
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._waiting.append((record, future))
        if not self._writing:
            self._writing = True
            self._timer = asyncio.get_running_loop().call_later(self.linger, self._write_next)
        elif self._timer is not None and len(self._waiting) >= self.limit:
            self._timer.cancel()
            self._write_next()
        return await future

    def _write_next(self) -> None:
        self._timer = None
        batch, self._waiting = self._waiting[: self.limit], self._waiting[self.limit :]
        self._writing = bool(batch)
        if not batch:
            return
        self.batches += 1
        self.records += len(batch)
        writing = self.database.write(record_batch, [record for record, _ in batch])
        task = asyncio.ensure_future(writing)
        self._tasks.add(task)
        task.add_done_callback(lambda written: self._written(batch, written))

    def _written(self, batch: list[_Waiting], written: asyncio.Future[list[Answer]]) -> None:
        self._tasks.discard(written)
        answers: list[Answer]
        try:
            answers = written.result()
        except BaseException as error:  # the thread could not run it at all (shut down...)
            failure = error if isinstance(error, Exception) else RuntimeError(repr(error))
            answers = [failure] * len(batch)
        for (_, future), answer in zip(batch, answers, strict=True):
            if future.done():  # its caller was cancelled
                continue
            if isinstance(answer, Exception):
                future.set_exception(answer)
            else:
                future.set_result(answer)
        self._write_next()
