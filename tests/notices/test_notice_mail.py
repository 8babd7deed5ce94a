"""Notices by mail, through a real SMTP server on loopback: headers, English and French text,
XARF attachments; and development mode, which sends nothing and says so."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from notices_support import LEGAL_BASIS, T0, actions, item, recipient
from xarf_rules import problems

from sentinelle.audit.services import Actor
from sentinelle.notices.models import DeliveryAttempt, Notice, Status
from sentinelle.notices.outbox import deliver
from sentinelle.notices.services import add_items
from sentinelle.sandbox.mailsink import MailSink

pytestmark = pytest.mark.django_db


def _notice(system: Actor, language: str = "en") -> Notice:
    items = [item(1), item(2, category="harmful-abusive", seen=T0 + timedelta(hours=1))]
    intake = add_items(recipient(language=language), items, actor=system, now=T0)
    assert intake.notice is not None
    return intake.notice


def test_the_notice_arrives_with_its_message_id_and_xarf(sink: MailSink, system: Actor) -> None:
    notice = _notice(system)
    assert deliver(notice.pk, worker="worker-1") == "sent"
    [mail] = sink.wait_for(1, timeout=10)
    notice.refresh_from_db()
    assert mail.message_id == notice.message_id
    assert mail.rcpt_tos == ("abuse@example.net",)
    assert mail.mail_from == "notices@hotline.example"
    assert mail.message["From"] == "Hotline Test <notices@hotline.example>"
    assert mail.message["Content-Language"] == "en"
    assert mail.message["X-Sentinelle-Reference"] == notice.reference
    assert mail.subject == f"[{notice.reference}] Removal request from Hotline Test: 2 URL(s)"
    text = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    for expected in (
        "http://files.example.net/gallery/1.jpg", item(1).sha256, item(1).md5, item(1).sha1, item(1).pdq,
        "Child sexual abuse material (csam)", f"Legal basis: {LEGAL_BASIS}",
        "Harmful-abusive material depicting children (harmful-abusive)",
        "Legal basis: Removal requested under your terms of service",  # the built-in wording
        "First seen: 2026-01-05 12:00 UTC", "Last verified live: 2026-01-05 12:05 UTC",
        "Period covered: 2026-01-05 00:00 UTC to 2026-01-06 00:00 UTC", notice.message_id,
    ):
        assert expected in text
    attachments = list(mail.message.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["application/json", "application/json"]
    assert [a.get_filename() for a in attachments] == [f"{notice.reference}-001.xarf.json",
                                                       f"{notice.reference}-002.xarf.json"]
    reports = [json.loads(a.get_content()) for a in attachments]
    assert [problems(r) for r in reports] == [[], []]
    csam, harmful = reports
    assert (csam["type"], csam["classification"], csam["detection_method"]) == ("csam", "baseline", "hash_match")
    assert csam["hash_values"] == {k: getattr(item(1), k) for k in ("md5", "sha1", "sha256", "pdq")}
    assert csam["url"] == "http://files.example.net/gallery/1.jpg" and csam["source_identifier"] == "192.0.2.10"
    assert csam["timestamp"] == "2026-01-05T12:00:00Z" and csam["verified_at"] == "2026-01-05T12:05:00Z"
    assert csam["reporter"] == {"org": "Hotline Test", "contact": "notices@hotline.example",
                                "domain": "hotline.example"}
    assert csam["description"] == LEGAL_BASIS and csam["media_type"] == "image"
    assert (harmful["type"], harmful["exploitation_type"]) == ("csem", "distribution")
    assert notice.status == Status.SENT and notice.sent_at is not None
    assert list(DeliveryAttempt.objects.values_list("channel", "outcome")) == [("email", "sent")]
    assert actions(str(notice.reference))[-2:] == ["notice:attempt", "notice:send"]


def test_a_french_recipient_gets_the_notice_in_french(sink: MailSink, system: Actor) -> None:
    notice = _notice(system, language="fr")
    deliver(notice.pk, worker="worker-1")
    [mail] = sink.wait_for(1, timeout=10)
    text = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert mail.message["Content-Language"] == "fr"
    assert mail.subject == f"[{notice.reference}] Demande de retrait de Hotline Test : 2 URL"
    for expected in (
        "À l'attention de Example Hosting abuse desk,",
        "Matériel d'abus pédosexuel (csam)",
        f"Fondement juridique : {LEGAL_BASIS}",
        "Fondement juridique : Retrait demandé en vertu de vos conditions d'utilisation",
        "Vu pour la première fois : 5 janvier 2026 à 12 h 00 UTC",
        "Dernière vérification en ligne : 5 janvier 2026 à 12 h 05 UTC",
        "Période couverte : du 5 janvier 2026 à 0 h 00 UTC au 6 janvier 2026 à 0 h 00 UTC",
        "Veuillez rappeler la référence",
    ):
        assert expected in text
    assert "Legal basis" not in text and "First seen" not in text
    # The XARF reports are UTF-8 JSON (RFC 8259), French accents included.
    reports = [part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
               for part in mail.message.iter_attachments()]
    assert len(reports) == 2 and all(json.loads(r)["type"] in ("csam", "csem") for r in reports)
    assert any("Retrait demandé" in r for r in reports)


def test_the_classification_is_a_setting(sink: MailSink, system: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_XARF_CSAM_CLASSIFICATION", "A1")
    notice = _notice(system)
    deliver(notice.pk, worker="worker-1")
    [mail] = sink.wait_for(1, timeout=10)
    first = next(iter(mail.message.iter_attachments()))
    assert json.loads(first.get_content())["classification"] == "A1"


def test_a_draft_is_not_sent_before_its_window_ends(sink: MailSink, system: Actor) -> None:
    # A draft whose window is still open is not sent, whoever asks.
    from django.utils import timezone

    intake = add_items(recipient(), [item(1)], actor=system, now=timezone.now())
    assert intake.notice is not None
    assert deliver(intake.notice.pk, worker="worker-1") == "not sent: its window is still open"
    assert sink.messages == []


def test_development_mode_logs_and_sends_nothing(system: Actor, caplog: pytest.LogCaptureFixture) -> None:
    notice = _notice(system)
    with caplog.at_level(logging.WARNING):
        assert deliver(notice.pk, worker="worker-1") == "sent"
    assert "NOT sent" in caplog.text and notice.message_id in caplog.text
    assert list(DeliveryAttempt.objects.values_list("outcome", flat=True)) == ["console"]
