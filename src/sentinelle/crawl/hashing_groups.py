"""Files handed to the hashing workers in groups: one round trip per group, not per file.

Each task sent to a ``ProcessPoolExecutor`` costs a trip through its feeder and manager
threads, a pipe write each way, and a wake-up of the reactor: about as much CPU, on a busy
crawler, as a fifth of the hashing itself. :class:`Groups` keeps at most ``slots`` groups at
the workers (two per worker: one being hashed, one waiting); a file submitted while every slot
is taken waits, and goes with whatever else waited in the next group (at most ``limit``
files, ``max_bytes`` bytes, all for the same matcher generation) as soon as a slot is free.
When the crawler is not busy a group is one file, sent at once: grouping adds no wait.

Every file's future gets its own answer: the group's answers come back in the order sent and
are handed out in that order; a file whose hashing raised gets that exception alone; a group
that fails as a whole (a worker died: ``BrokenProcessPool``) fails each of its files' futures,
and so does a group that could not be sent. No future is ever left without an outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

#: The most files in one group.
GROUP_LIMIT: Final = 32
#: The most bytes in one group (a single larger file goes alone).
GROUP_BYTES: Final = 8 * 1024 * 1024

S = TypeVar("S")  # what the files are hashed with (the matcher's source)
R = TypeVar("R")  # one file's answer

#: Sends one group (source, files) to the workers; its future's answer holds one result or
#: exception per file, in order.
Send = Callable[[S, list[bytes]], "Future[list[R | Exception]]"]


@dataclass(frozen=True)
class _Task(Generic[S, R]):
    data: bytes
    source: S
    future: Future[R]


class Groups(Generic[S, R]):
    def __init__(
        self,
        send: Send[S, R],
        *,
        slots: int,
        limit: int = GROUP_LIMIT,
        max_bytes: int = GROUP_BYTES,
    ) -> None:
        self._send = send
        self.slots = slots
        self.limit = limit
        self.max_bytes = max_bytes
        self._lock = threading.Lock()  # submit runs in the reactor, answers in the pool's thread
        self._waiting: list[_Task[S, R]] = []
        self._out = 0
        #: Groups sent, and the files in them.
        self.groups = 0
        self.files = 0

    def submit(self, data: bytes, source: S) -> Future[R]:
        future: Future[R] = Future()
        with self._lock:
            self._waiting.append(_Task(data, source, future))
            group = self._next_group() if self._out < self.slots else []
        self._dispatch(group)
        return future

    def cancel_waiting(self) -> None:
        """Cancel the files not sent yet (shutting down)."""
        with self._lock:
            waiting, self._waiting = self._waiting, []
        for task in waiting:
            task.future.cancel()

    def _next_group(self) -> list[_Task[S, R]]:
        """Takes the next group off the waiting list (the lock is held)."""
        if not self._waiting:
            return []
        first = self._waiting[0]
        size = 0
        count = 0
        for task in self._waiting[: self.limit]:
            if task.source != first.source or (count and size + len(task.data) > self.max_bytes):
                break
            size += len(task.data)
            count += 1
        group, self._waiting = self._waiting[:count], self._waiting[count:]
        self._out += 1
        self.groups += 1
        self.files += count
        return group

    def _dispatch(self, group: list[_Task[S, R]]) -> None:
        if not group:
            return
        try:
            sent = self._send(group[0].source, [task.data for task in group])
        except Exception as error:  # the pool is broken or shut down: fail them all
            self._answered(group, error)
            return
        sent.add_done_callback(lambda done: self._done(group, done))

    def _done(self, group: list[_Task[S, R]], done: Future[list[R | Exception]]) -> None:
        if done.cancelled():
            self._answered(group, None)
            return
        error = done.exception()
        if error is not None:
            self._answered(group, error)
            return
        answers = done.result()
        if len(answers) != len(group):  # never expected: fail every file rather than guess
            mismatch = RuntimeError(f"{len(answers)} answers for a group of {len(group)}")
            self._answered(group, mismatch)
            return
        for task, answer in zip(group, answers, strict=True):
            _settle(task.future, answer)
        self._answered([], None)

    def _answered(self, group: list[_Task[S, R]], error: BaseException | None) -> None:
        """``group`` is back (failed with ``error``, or cancelled when None): its slot is
        free, the next group goes out."""
        for task in group:
            if error is None:
                task.future.cancel()
            else:
                _settle(task.future, error)
        with self._lock:
            self._out -= 1
            following = self._next_group() if self._out < self.slots else []
        self._dispatch(following)


def _settle(future: Future[R], answer: R | BaseException) -> None:
    if future.done():
        return
    if isinstance(answer, BaseException):
        future.set_exception(answer)
    else:
        future.set_result(answer)
