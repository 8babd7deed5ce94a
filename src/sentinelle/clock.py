"""The clock: what time it is for the work that runs on a schedule (rechecks, reminders).

Code that decides by the time takes a :class:`Clock` (``clock.now()``, an aware UTC
datetime) instead of reading the system clock, so tests and the demo can run a day in a
second. Implementations:

* :class:`SystemClock`: the real time (the default);
* :class:`ManualClock`: stands still until set or advanced (tests);
* :class:`AcceleratedClock`: starts at a given moment and runs ``factor`` times faster than
  the real time (the demo).

Background tasks cannot be handed a clock, so one is *installed* per process
(:func:`install`, :func:`using`); :func:`current` returns it. ``sentinelle worker`` and the
demo install theirs once, where they are assembled. No Django.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"a clock needs an aware datetime, got {moment!r}")
    return moment.astimezone(UTC)


class ManualClock:
    """A clock that moves only when told to (thread-safe)."""

    def __init__(self, start: datetime) -> None:
        self._moment = _aware(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._moment

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._moment = _aware(moment)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._moment += delta
            return self._moment


class AcceleratedClock:
    """``start`` plus ``factor`` times the real time elapsed since the clock was made.

    ``AcceleratedClock(3600)`` runs an hour per second: a 24-hour recheck interval passes in
    24 seconds. ``real`` is the monotonic time source (seconds), replaceable in tests.
    """

    def __init__(
        self, factor: float, *, start: datetime | None = None, real: Callable[[], float] = time.monotonic
    ) -> None:
        if not factor > 0:
            raise ValueError(f"an accelerated clock needs a factor above 0, got {factor!r}")
        self.factor = float(factor)
        self.start = _aware(start) if start is not None else datetime.now(UTC)
        self._real = real
        self._origin = real()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(self._real() - self._origin) * self.factor)


_installed: Clock = SystemClock()


def current() -> Clock:
    """The clock installed in this process (the system clock unless one was installed)."""
    return _installed


def install(clock: Clock) -> Clock:
    """Make ``clock`` this process's clock; returns the one it replaces."""
    global _installed
    previous, _installed = _installed, clock
    return previous


@contextmanager
def using(clock: Clock) -> Iterator[Clock]:
    """``with using(ManualClock(t0)) as clock:`` installs a clock for the block."""
    previous = install(clock)
    try:
        yield clock
    finally:
        install(previous)
