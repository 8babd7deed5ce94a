"""Temporary failures retry with a growing back-off; permanent ones stop and show."""

from __future__ import annotations

import json
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from notices_support import T0, actions, item, recipient

from sentinelle.audit.services import Actor
from sentinelle.cli.main import main
from sentinelle.notices.models import DeliveryAttempt, Notice
from sentinelle.notices.outbox import deliver
from sentinelle.notices.scheduling import DueNotices
from sentinelle.notices.services import add_items
from sentinelle.sandbox.mailsink import MailSink

pytestmark = pytest.mark.django_db


def _notice(system: Actor) -> Notice:
    intake = add_items(recipient(), [item(1)], actor=system, now=T0)
    assert intake.notice is not None
    return intake.notice


def _outcomes() -> list[str]:
    return list(DeliveryAttempt.objects.order_by("id").values_list("outcome", flat=True))


def test_451_twice_then_delivered_with_a_doubling_backoff(sink: MailSink, system: Actor) -> None:
    notice = _notice(system)
    sink.fail_next(451, count=2)
    waits = []
    for expected in ("retrying", "retrying", "sent"):
        before = timezone.now()
        assert deliver(notice.pk, worker="worker-1") == expected
        notice.refresh_from_db()
        if expected == "retrying":
            waits.append(notice.due_at - before)
            assert DueNotices().enqueue_due(notice.due_at - timedelta(seconds=1), 10) == 0  # not due yet
            assert DueNotices().enqueue_due(notice.due_at, 10) == 1  # due: a task is enqueued
    assert [round(w.total_seconds() / 60) for w in waits] == [1, 2]  # base 60 s, doubled
    assert DBTaskResult.objects.count() == 2
    [mail] = sink.wait_for(1, timeout=10)
    assert mail.message_id == notice.message_id
    assert _outcomes() == ["temporary", "temporary", "sent"]
    assert "451" in DeliveryAttempt.objects.first().detail  # type: ignore[union-attr]
    assert actions(str(notice.reference))[-6:] == [
        "notice:attempt", "notice:retry", "notice:attempt", "notice:retry", "notice:attempt", "notice:send",
    ]


def test_the_backoff_stops_growing_at_the_cap(sink: MailSink, system: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_NOTICE_RETRY_CAP_SECONDS", "100")
    notice = _notice(system)
    sink.fail_next(421, count=3)
    for _ in range(3):
        before = timezone.now()
        deliver(notice.pk, worker="worker-1")
    notice.refresh_from_db()
    assert timedelta(seconds=99) < notice.due_at - before <= timedelta(seconds=101)


def test_a_server_that_is_down_is_a_temporary_failure(system: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("SENTINELLE_SMTP_URL", f"smtp://127.0.0.1:{port}")
    notice = _notice(system)
    assert deliver(notice.pk, worker="worker-1") == "retrying"
    assert "ConnectionRefusedError" in DeliveryAttempt.objects.get().detail


def test_550_fails_for_good_and_the_operator_sees_it(
    sink: MailSink, system: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    notice = _notice(system)
    sink.fail_next(550)
    assert deliver(notice.pk, worker="worker-1") == "failed"
    notice.refresh_from_db()
    assert notice.email_state == "failed" and "550" in notice.last_error
    assert DueNotices().enqueue_due(timezone.now() + timedelta(days=30), 10) == 0  # never retried alone
    assert actions(str(notice.reference))[-1] == "notice:fail"
    assert main(["notices", "list", "--failed", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(n["reference"], n["status"], n["channels"]["email"]) for n in listed] == [
        (notice.reference, "failed", "failed")
    ]
    # The operator fixes the cause and sends it again: same message, same Message-ID.
    assert main(["notices", "send", str(notice.reference)]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "queued"
    assert deliver(notice.pk, worker="worker-1") == "sent"
    [mail] = sink.wait_for(1, timeout=10)
    assert mail.message_id == notice.message_id
    assert actions(str(notice.reference))[-3:] == ["notice:queue", "notice:attempt", "notice:send"]


def test_a_recipient_refused_with_550_is_permanent(sink: MailSink, system: Actor) -> None:
    notice = _notice(system)
    sink.fail_next(550, stage="rcpt")
    assert deliver(notice.pk, worker="worker-1") == "failed"
    assert _outcomes() == ["permanent"]


def test_too_many_temporary_failures_end_in_failed(
    sink: MailSink, system: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENTINELLE_NOTICE_MAX_ATTEMPTS", "2")
    notice = _notice(system)
    sink.fail_next(451, count=5)
    assert [deliver(notice.pk, worker="worker-1") for _ in range(2)] == ["retrying", "failed"]
    notice.refresh_from_db()
    assert notice.last_error.startswith("gave up after 2 attempts")
    assert deliver(notice.pk, worker="worker-1") == "not sent: already failed"


def test_sending_a_sent_notice_again_is_refused(sink: MailSink, system: Actor,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    notice = _notice(system)
    deliver(notice.pk, worker="worker-1")
    assert main(["notices", "send", str(notice.reference)]) == 3
    assert "only a draft, queued, retrying or failed notice" in capsys.readouterr().err
    assert main(["notices", "send", "SN-1999-000000"]) == 3
