"""Signed webhook deliveries to a real HTTP receiver on loopback that checks the HMAC."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from notices_support import SECRET, T0, item, recipient, webhook_receiver
from xarf_rules import problems

from sentinelle.audit.services import Actor
from sentinelle.notices.models import DeliveryAttempt, Notice
from sentinelle.notices.outbox import deliver
from sentinelle.notices.services import add_items
from sentinelle.sandbox.mailsink import MailSink

pytestmark = pytest.mark.django_db


def _notice(system: Actor, url: str, email: str = "") -> Notice:
    intake = add_items(recipient(email=email, webhook_url=url), [item(1), item(2)], actor=system, now=T0)
    assert intake.notice is not None
    return intake.notice


def test_the_webhook_gets_a_signed_json_notice(sink: MailSink, system: Actor) -> None:
    with webhook_receiver() as receiver:
        notice = _notice(system, receiver.url)
        assert deliver(notice.pk, worker="worker-1") == "sent"
    [delivery] = receiver.received
    assert delivery.signature_ok
    assert delivery.headers["X-Sentinelle-Message-Id"] == notice.message_id
    assert delivery.headers["Content-Type"] == "application/json; charset=utf-8"
    payload = delivery.payload
    assert (payload["type"], payload["reference"], payload["message_id"]) == ("notice", notice.reference,
                                                                              notice.message_id)
    assert [i["url"] for i in payload["items"]] == [item(1).url, item(2).url]
    assert payload["items"][0]["sha256"] == item(1).sha256 and payload["items"][0]["pdq"] == item(1).pdq
    assert payload["window"] == {"start": "2026-01-05T00:00:00Z", "end": "2026-01-06T00:00:00Z"}
    assert [problems(report) for report in payload["xarf"]] == [[], []]
    assert SECRET not in delivery.body.decode() and "secret" not in json.dumps(payload["recipient"])
    assert sink.messages == []  # no email address: no mail


@pytest.mark.parametrize(("secrets", "problem"), [
    ("", "no webhook secret 'example-host.hook'"),
    ("example-host.hook=too-short\n", "no webhook secret 'example-host.hook' of 16 characters"),
    ("this line has no equals sign\n", "line 1: expected NAME=SECRET"),
])
def test_without_its_secret_a_webhook_is_not_sent(
    system: Actor, sink: MailSink, secrets: str, problem: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secrets").write_text(secrets)
    monkeypatch.setenv("SENTINELLE_WEBHOOK_SECRETS", str(tmp_path / "secrets"))
    with webhook_receiver() as receiver:
        notice = _notice(system, receiver.url)
        assert deliver(notice.pk, worker="worker-1") == "failed"
    assert receiver.received == []
    assert problem in DeliveryAttempt.objects.get().detail


def test_a_tampered_body_would_not_verify(system: Actor, sink: MailSink) -> None:
    with webhook_receiver(secret="another-secret-entirely-000000") as receiver:
        notice = _notice(system, receiver.url)
        assert deliver(notice.pk, worker="worker-1") == "failed"  # the receiver answers 401
    assert not receiver.received[0].signature_ok
    assert DeliveryAttempt.objects.get().detail.startswith("HTTP 401")


def test_503_is_retried_with_the_same_body_and_message_id(sink: MailSink, system: Actor) -> None:
    with webhook_receiver() as receiver:
        receiver.answers = [503]
        notice = _notice(system, receiver.url)
        assert deliver(notice.pk, worker="worker-1") == "retrying"
        assert deliver(notice.pk, worker="worker-1") == "sent"
    first, second = receiver.received
    assert first.body == second.body and first.signature_ok and second.signature_ok
    assert first.headers["X-Sentinelle-Message-Id"] == second.headers["X-Sentinelle-Message-Id"]


@pytest.mark.parametrize(("status", "outcome"), [(400, "failed"), (404, "failed"), (429, "retrying"),
                                                 (302, "failed"), (500, "retrying")])
def test_answers_are_sorted_into_temporary_and_permanent(
    sink: MailSink, system: Actor, status: int, outcome: str
) -> None:
    with webhook_receiver() as receiver:
        receiver.answers = [status]
        notice = _notice(system, receiver.url)
        assert deliver(notice.pk, worker="worker-1") == outcome


def test_only_the_channel_that_failed_is_tried_again(sink: MailSink, system: Actor) -> None:
    with webhook_receiver() as receiver:
        receiver.answers = [503]
        notice = _notice(system, receiver.url, email="abuse@example.net")
        assert deliver(notice.pk, worker="worker-1") == "retrying"
        assert deliver(notice.pk, worker="worker-1") == "sent"
    assert len(sink.wait_for(1, timeout=10)) == 1  # the mail went out once
    assert len(receiver.received) == 2
    assert list(DeliveryAttempt.objects.order_by("id").values_list("channel", "outcome")) == [
        ("email", "sent"), ("webhook", "temporary"), ("webhook", "sent"),
    ]
