"""The demo's simulated days: the worker, the providers and a clock that jumps ahead.

The clock is a :class:`~sentinelle.clock.ManualClock` installed for the process (and the
sandbox's desks read it too). Each pass does all the work that is due now: a worker pass
until idle (intake, delivery, rechecks, reminders, escalations: the real tasks and
scheduler of ``sentinelle worker``), then the providers read their mail and act, again until
nothing moves. Then the clock jumps to the next moment something is due (a notice's window
end, a recheck, a provider's reaction, a scripted happening), at most ``step`` ahead. So the
simulated days take as long as their work, not as long as their hours, and a run gives the
same times whatever the machine's speed.

It ends when nothing is left to happen: no notice to send, no sighting waiting for a
recipient, no provider reaction pending, and every item still online has climbed the whole
reminder and escalation ladder; or when ``until`` is reached.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from django.db.models import Min

from sentinelle.clock import ManualClock
from sentinelle.notices.ladder import rungs_for
from sentinelle.notices.models import (
    LIVE,
    PENDING,
    IntakeState,
    ItemStatus,
    Kind,
    Notice,
    NoticeItem,
    SightingIntake,
)
from sentinelle.sandbox.responders import Responders
from sentinelle.worker.runner import Mode, WorkerLoop
from sentinelle.worker.scheduler import Scheduler
from sentinelle.worker.sources import due_work

#: The clock always moves at least this much, so a due time pushed a little ahead is reached.
LEAST_STEP: Final = timedelta(seconds=1)
MAX_ROUNDS: Final = 50


@dataclass
class Happening:
    """Something the scenario makes happen at a simulated moment (a registry comes back...)."""

    at: datetime
    label: str
    action: Callable[[], None]
    done: bool = False


@dataclass
class SimulationReport:
    start: datetime
    end: datetime
    real_seconds: float
    passes: int
    tasks: int
    reason: str  #: ``settled``, ``time limit`` or ``interrupted``
    failures: list[dict[str, Any]] = field(default_factory=list)
    happened: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        simulated = (self.end - self.start).total_seconds()
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "simulated_seconds": simulated,
                "real_seconds": round(self.real_seconds, 2), "passes": self.passes, "tasks": self.tasks,
                "speed": round(simulated / self.real_seconds) if self.real_seconds > 0 else None,
                "reason": self.reason, "task_failures": self.failures, "happened": self.happened}


class Simulation:
    def __init__(self, clock: ManualClock, responders: Responders, *, until: timedelta, step: timedelta,
                 happenings: list[Happening], on_pass: Callable[[datetime, datetime], None] | None = None) -> None:
        self.clock, self.responders, self.until, self.step = clock, responders, until, step
        self.happenings = happenings
        self.on_pass = on_pass
        self.scheduler = Scheduler(due_work())
        self.tasks = 0
        self.failures: list[dict[str, Any]] = []
        self._stopping = threading.Event()
        self._loop: WorkerLoop | None = None

    def stop(self) -> None:
        """Stop after the running task (safe from a signal handler)."""
        self._stopping.set()
        loop = self._loop
        if loop is not None:
            loop.stop()

    def run(self) -> SimulationReport:
        started, start = time.monotonic(), self.clock.now()
        end, passes, reason = start + self.until, 0, "settled"
        while True:
            passes += 1
            self._settle()
            now = self.clock.now()
            if self._stopping.is_set():
                reason = "interrupted"
                break
            if self._finished():
                break
            if now >= end:
                reason = "time limit"
                break
            target = self._next(now)
            if target is None:
                break
            self.clock.set(min(max(target, now + LEAST_STEP), now + self.step, end))
            if self.on_pass is not None:
                self.on_pass(start, self.clock.now())
        happened = [{"at": h.at.isoformat(), "label": h.label} for h in self.happenings if h.done]
        return SimulationReport(start, self.clock.now(), time.monotonic() - started, passes, self.tasks, reason,
                                self.failures, happened)

    def _settle(self) -> None:
        """Do everything due now, until nothing moves."""
        for _ in range(MAX_ROUNDS):
            if self._stopping.is_set():
                return
            now = self.clock.now()
            for happening in self.happenings:
                if not happening.done and happening.at <= now:
                    happening.action()
                    happening.done = True
            worked = self._work()
            self.responders.poll()
            acted = self.responders.act()
            if not worked and not acted:
                return

    def _work(self) -> int:
        loop = WorkerLoop(self.scheduler, worker_id="demo-worker", poll=0.01, mode=Mode.UNTIL_IDLE,
                          on_task=self._task)
        self._loop = loop
        try:
            stats = loop.run()
        finally:
            self._loop = None
        return stats.tasks + sum(stats.enqueued.values())

    def _task(self, row: dict[str, Any]) -> None:
        self.tasks += 1
        if row.get("status") != "SUCCESSFUL":
            self.failures.append({"task": row.get("task"), "args": row.get("args"), "error": row.get("error")})

    def _finished(self) -> bool:
        if any(not h.done for h in self.happenings) or self.responders.next_due() is not None:
            return False
        if Notice.objects.filter(status__in=PENDING).exists():
            return False
        if SightingIntake.objects.filter(state=IntakeState.UNATTRIBUTED).exists():
            return False
        # Open items still climbing their ladder (a registrar's copy has a shorter one; a
        # disputed item waits for an analyst and climbs no further).
        open_items = NoticeItem.objects.filter(status=ItemStatus.OPEN, notice__kind=Kind.NOTICE)
        return not any(item.reminders + item.escalations < len(rungs_for(item.notice.recipient_role))
                       for item in open_items.select_related("notice"))

    def _next(self, now: datetime) -> datetime | None:
        """The next moment something is due."""
        moments = [
            Notice.objects.filter(status__in=PENDING).aggregate(at=Min("due_at"))["at"],
            NoticeItem.objects.filter(status__in=LIVE).aggregate(at=Min("next_check_at"))["at"],
            SightingIntake.objects.filter(state=IntakeState.UNATTRIBUTED).aggregate(at=Min("retry_at"))["at"],
            *(h.at for h in self.happenings if not h.done),
        ]
        reaction = self.responders.next_due()
        if reaction is not None:
            moments.append(datetime.fromtimestamp(reaction, UTC))
        found = [moment for moment in moments if moment is not None]
        return min(found) if found else None
