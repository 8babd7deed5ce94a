"""The worker loop: a scheduler tick, then the ready tasks (django-tasks-db), then a pause.

One process does both, in turn, so a single ``sentinelle worker`` runs everything; start
more of them (on more machines) to send more: tasks are claimed with row locks. Stopping
(SIGINT/SIGTERM, :meth:`WorkerLoop.stop`) lets the running task finish, then returns.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django_tasks.signals import task_finished
from django_tasks_db.management.commands.db_worker import Worker

from sentinelle.worker.scheduler import Scheduler

logger = logging.getLogger(__name__)

#: Tasks run between two scheduler ticks at most.
BATCH = 50


class Mode(StrEnum):
    FOREVER = "forever"  #: until stopped
    ONCE = "once"  #: one tick, the tasks ready then, and return
    UNTIL_IDLE = "until-idle"  #: until a tick finds nothing due and no task is ready


@dataclass
class Stats:
    ticks: int = 0
    enqueued: dict[str, int] = field(default_factory=dict)
    tasks: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"ticks": self.ticks, "enqueued": self.enqueued, "tasks": self.tasks, "failed": self.failed}


TaskListener = Callable[[dict[str, Any]], None]


class WorkerLoop:
    def __init__(
        self, scheduler: Scheduler, *, worker_id: str, poll: float = 1.0, mode: Mode = Mode.FOREVER,
        on_task: TaskListener | None = None,
    ) -> None:
        self.scheduler = scheduler
        self.worker_id = worker_id
        self.poll = poll
        self.mode = mode
        self.on_task = on_task
        self.stats = Stats()
        self._stopping = threading.Event()
        self._runner: Worker | None = None

    def stop(self) -> None:
        """Finish the running task, then return from :meth:`run` (safe from a signal handler)."""
        self._stopping.set()
        if self._runner is not None:
            self._runner.running = False

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def run(self) -> Stats:
        task_finished.connect(self._finished, dispatch_uid=f"sentinelle-worker-{id(self)}")
        try:
            while not self.stopping:
                enqueued = self.scheduler.tick()
                self.stats.ticks += 1
                for name, count in enqueued.items():
                    self.stats.enqueued[name] = self.stats.enqueued.get(name, 0) + count
                ran = self._run_ready()
                if self.mode == Mode.ONCE:
                    break
                if self.mode == Mode.UNTIL_IDLE and not ran and not any(enqueued.values()):
                    break
                if not ran:
                    self._stopping.wait(self.poll)
        finally:
            task_finished.disconnect(dispatch_uid=f"sentinelle-worker-{id(self)}")
        return self.stats

    def _run_ready(self) -> int:
        before = self.stats.tasks
        self._runner = Worker(
            queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
            max_tasks=BATCH, worker_id=self.worker_id, excluded_queue_names=[],
        )
        if self.stopping:
            return 0
        try:
            self._runner.run()
        finally:
            self._runner = None
        return self.stats.tasks - before

    def _finished(self, sender: Any, task_result: Any, **kwargs: Any) -> None:
        self.stats.tasks += 1
        status = str(task_result.status)
        if status != "SUCCESSFUL":
            self.stats.failed += 1
        row = {"type": "task", "task": task_result.task.name, "id": str(task_result.id),
               "args": list(task_result.args), "status": status}
        if status == "SUCCESSFUL":
            row["result"] = task_result.return_value
        else:
            row["error"] = task_result.errors[-1].traceback.strip().splitlines()[-1] if task_result.errors else ""
        if self.on_task is not None:
            self.on_task(row)
