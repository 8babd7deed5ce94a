"""The worker loop in this process: the scheduler enqueues due work, the tasks run."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import pytest
from notices_support import T0, item, recipient

from sentinelle.audit.services import Actor
from sentinelle.donotact.services import add as add_donotact
from sentinelle.notices.models import Notice, Status
from sentinelle.notices.services import add_items
from sentinelle.sandbox.mailsink import MailSink
from sentinelle.worker.runner import Mode, WorkerLoop
from sentinelle.worker.scheduler import Scheduler
from sentinelle.worker.sources import due_work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The task runner recycles database connections between tasks (right for a worker
    process); inside a test's transaction that would close it. Django's test client keeps
    connections open the same way. The real worker process is tested in test_worker_crash."""
    import django_tasks_db.management.commands.db_worker as db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def _run(mode: Mode) -> tuple[WorkerLoop, list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    loop = WorkerLoop(Scheduler(due_work()), worker_id="test-worker", poll=0.01, mode=mode, on_task=rows.append)
    loop.run()
    return loop, rows


def test_once_sends_what_is_due(sink: MailSink, system: Actor) -> None:
    due = add_items(recipient(), [item(1)], actor=system, now=T0).notice
    from django.utils import timezone

    open_window = add_items(recipient("provider:other", email="abuse@other.example"), [item(2)],
                            actor=system, now=timezone.now()).notice
    assert due is not None and open_window is not None
    loop, rows = _run(Mode.ONCE)
    assert rows == [{"type": "task", "task": "deliver_notice", "id": rows[0]["id"], "args": [due.pk],
                     "status": "SUCCESSFUL", "result": "sent"}]
    assert loop.stats.enqueued == {"intake": 0, "notices": 1, "retractions": 0, "rechecks": 0, "tipline-contacts": 0,
                                  "expired-sessions": 0, "serving-index": 0}
    assert [m.message_id for m in sink.wait_for(1, timeout=10)] == [due.message_id]
    assert Notice.objects.get(pk=open_window.pk).status == Status.DRAFT  # its window is still open
    Notice.objects.filter(pk=due.pk).update(due_at=T0)  # a sent notice is never due again
    _, again = _run(Mode.ONCE)
    assert again == [] and len(sink.messages) == 1


def test_until_idle_sends_everything_due_then_returns(sink: MailSink, system: Actor, operator: Actor) -> None:
    first = add_items(recipient(), [item(1), item(2)], actor=system, now=T0).notice
    second = add_items(recipient("provider:other", email="abuse@other.example"), [item(3)], actor=system,
                       now=T0).notice
    assert first is not None and second is not None
    _, rows = _run(Mode.UNTIL_IDLE)
    assert sorted(r["args"][0] for r in rows) == sorted([first.pk, second.pk])
    assert {r["result"] for r in rows} == {"sent"}
    assert len(sink.wait_for(2, timeout=10)) == 2
    # A do-not-act entry for one sent item: the next pass sweeps, and the retraction goes out.
    add_donotact("url", item(2).url, reason="test upload", actor=operator)
    _, rows = _run(Mode.UNTIL_IDLE)
    assert [(r["task"], r["result"]) for r in rows] == [("sweep_retractions", 1), ("deliver_notice", "sent")]
    retraction = sink.wait_for(3, timeout=10)[2]
    assert retraction.message["In-Reply-To"] == first.message_id


def test_the_worker_sends_a_retry_when_it_falls_due(sink: MailSink, system: Actor,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_NOTICE_RETRY_BASE_SECONDS", "1")
    notice = add_items(recipient(), [item(1)], actor=system, now=T0).notice
    assert notice is not None
    sink.fail_next(451)
    loop = WorkerLoop(Scheduler(due_work()), worker_id="test-worker", poll=0.2, mode=Mode.FOREVER)
    results: list[str] = []

    def record(row: dict[str, Any]) -> None:
        results.append(row["result"])
        if row["result"] == "sent":
            loop.stop()

    loop.on_task = record
    loop.run()
    assert results == ["retrying", "sent"]
    assert [m.message_id for m in sink.messages] == [notice.message_id]


def test_a_broken_source_does_not_stop_the_others(sink: MailSink, system: Actor,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        name = "broken"

        def enqueue_due(self, now: datetime, limit: int) -> int:
            from sentinelle.notices.exceptions import NoticesError

            raise NoticesError("this source is broken")

    add_items(recipient(), [item(1)], actor=system, now=T0)
    with caplog.at_level(logging.ERROR):
        counts = Scheduler([Broken(), *due_work()]).tick()
    assert counts == {"broken": 0, "intake": 0, "notices": 1, "retractions": 0, "rechecks": 0,
                      "tipline-contacts": 0, "expired-sessions": 0, "serving-index": 0}
    assert "broken could not enqueue" in caplog.text
