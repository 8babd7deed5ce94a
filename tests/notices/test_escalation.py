"""Reminders and escalation, run by the worker loop against the sandbox web (its sites, RDAP
registries with their upstream networks, takedowns) and a real SMTP server on loopback."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from rechecks_support import START, SandboxWorld, notice_urls, sight, store_known_list

from sentinelle import clock as clocks
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.config import ConfigurationError
from sentinelle.notices import configuration
from sentinelle.notices.hotlines import set_hotline
from sentinelle.notices.links import verify_token
from sentinelle.notices.models import Notice, NoticeEvent, NoticeItem
from sentinelle.sandbox.mailsink import MailSink, ReceivedMail

pytestmark = pytest.mark.django_db

DAY = timedelta(hours=24)
GATHER = timedelta(minutes=1)


def _day(clock: clocks.ManualClock, run_worker: Any, moment: Any) -> list[dict[str, Any]]:
    """The rechecks due at ``moment``, then (a gathering minute later) what they sent."""
    clock.set(moment)
    rows = run_worker()
    clock.advance(GATHER)
    return rows + run_worker()


def _answers(mail: ReceivedMail) -> str:
    """The reference the mail's response link answers (its signature checked)."""
    (token,) = re.findall(r"/respond/([^/\s]+)/", _body(mail))
    return verify_token(token)


def _body(mail: ReceivedMail) -> str:
    part = mail.message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_an_item_left_online_is_reminded_then_escalated_step_by_step(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, run_worker: Any, sink: MailSink, operator: Actor
) -> None:
    store_known_list(sandbox_env, name="known")
    host = sandbox_env.provider(0)
    upstream = host["upstream"]
    set_hotline(host["country"], name="Hotline of the host's country", email="reports@hotline.test",
                language="fr", actor=operator)
    url = sandbox_env.media_urls(host)[0]
    sight(url, sandbox_env.sandbox.resolver, seen_at=clock.now())

    rows = run_worker()  # the worker's intake puts the match on a notice; its window is still open
    assert sorted(r["task"] for r in rows) == ["notice_matches", "sweep_retractions"]  # (the list import)
    notice = Notice.objects.get(kind="notice")
    assert notice.status == "draft" and not sink.messages
    clock.set(notice.window_end)
    assert [(r["task"], r["result"]) for r in run_worker()] == [("deliver_notice", "sent")]
    notice.refresh_from_db()
    sent = notice.sent_at
    assert sent == notice.window_end

    for day in range(1, 7):
        _day(clock, run_worker, sent + day * DAY)
    item = NoticeItem.objects.get()
    mails = sink.wait_for(5, timeout=10)
    assert [m.rcpt_tos for m in mails] == [(host["abuse_email"],)] * 3 + [(upstream["abuse_email"],),
                                                                           ("reports@hotline.test",)]
    assert _answers(mails[0]) == notice.reference  # the notice carries its signed response link
    first, second = mails[1:3]
    for reminder in (first, second):
        assert _answers(reminder) == notice.reference  # so does each reminder: the notice is answered
        assert reminder.message["In-Reply-To"] == notice.message_id
        assert f"Reminder: 1 URL(s) of notice {notice.reference} still online" in reminder.subject
        assert item.url in _body(reminder) and item.sha256 in _body(reminder)
        assert reminder.message_id not in (notice.message_id, mails[0].message_id)
    escalation, hotline = mails[3:5]
    assert escalation.message["In-Reply-To"] is None and "Escalation from Hotline Test" in escalation.subject
    text = _body(escalation)
    assert notice.reference in text and notice.recipient_name in text and "reminded them 2 time(s)" in text
    assert "Signalement de Hotline Test" in hotline.subject and hotline.message["Content-Language"] == "fr"
    assert "hébergés dans votre pays" in _body(hotline) and item.url in _body(hotline)
    assert "/respond/" not in text + _body(hotline)  # the link answers for the host, not for them
    assert (item.reminders, item.escalations, item.analyst_flag) == (2, 3, "law-enforcement")
    assert item.escalated_at == sent + 3 * DAY and item.flagged_at == sent + 5 * DAY
    steps = [e.event for e in NoticeEvent.objects.filter(item=item).order_by("id") if e.event != "recheck"]
    assert steps == ["reminder", "reminder", "escalated", "escalated", "flagged"]
    assert NoticeEvent.objects.filter(item=item, event="recheck").count() == 6  # day 6: checked, nothing sent
    audited = list(AuditEvent.objects.filter(target_id=notice.reference).values_list("action", flat=True))
    assert [a for a in audited if a in ("notice:remind", "notice:escalate", "notice:flag")] == [
        "notice:remind", "notice:remind", "notice:escalate", "notice:escalate", "notice:flag"]
    kinds = list(Notice.objects.order_by("id").values_list("kind", "status"))
    assert kinds == [("notice", "sent"), ("reminder", "sent"), ("reminder", "sent"), ("escalation", "sent"),
                     ("escalation", "sent")]

    sandbox_env.take_down([url], reference=str(notice.reference))
    _day(clock, run_worker, sent + 7 * DAY)
    item.refresh_from_db()
    assert (item.status, item.time_to_removal) == ("removed", 7 * DAY)
    assert len(sink.messages) == 5


def test_steps_that_cannot_be_taken_are_skipped_and_the_next_one_taken_at_once(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, system: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sentinelle.notices.rechecks import recheck

    monkeypatch.setenv("SENTINELLE_ESCALATE_AFTER", "0")
    monkeypatch.setenv("SENTINELLE_ESCALATION_POLICY", "hotline,law-enforcement")
    store_known_list(sandbox_env, name="known")
    host = sandbox_env.provider(0)
    notice_urls(sandbox_env, sandbox_env.media_urls(host)[:1], now=clock.now())
    item = NoticeItem.objects.get()
    clock.advance(DAY)
    assert recheck(item.pk, actor=system) == "still-there"
    item.refresh_from_db()
    assert (item.escalations, item.analyst_flag) == (2, "law-enforcement")
    (skipped,) = NoticeEvent.objects.filter(item=item, event="escalation-skipped")
    assert skipped.details == {"step": "hotline",
                               "why": f"no hotline is listed for {host['country']} (sentinelle hotlines set)"}
    assert not Notice.objects.filter(kind="escalation").exists()


def test_an_upstream_in_the_directory_is_escalated_to_before_rdap(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, system: Actor, operator: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sentinelle.attribution.providers import add_network, create_provider, set_contact
    from sentinelle.notices.rechecks import recheck

    monkeypatch.setenv("SENTINELLE_ESCALATE_AFTER", "0")
    monkeypatch.setenv("SENTINELLE_ESCALATION_POLICY", "upstream")
    store_known_list(sandbox_env, name="known")
    host = sandbox_env.provider(0)
    notice_urls(sandbox_env, sandbox_env.media_urls(host)[:1], now=clock.now())
    create_provider("transit-co", "Transit Co", kind="upstream", actor=operator)
    add_network("transit-co", cidr=host["upstream"]["network"], actor=operator)
    set_contact("transit-co", "abuse@transit-co.test", language="fr", actor=operator)
    item = NoticeItem.objects.get()
    clock.advance(DAY)
    assert recheck(item.pk, actor=system) == "still-there"
    (escalation,) = Notice.objects.filter(kind="escalation")
    assert (escalation.recipient_email, escalation.recipient_language) == ("abuse@transit-co.test", "fr")
    assert (escalation.recipient_key, escalation.recipient_role) == ("upstream:transit-co", "upstream")


def test_a_registrars_copy_is_reminded_but_only_the_hosts_notice_escalates(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, system: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sentinelle.notices.rechecks import recheck

    monkeypatch.setenv("SENTINELLE_NOTIFY_REGISTRAR", "true")
    monkeypatch.setenv("SENTINELLE_ESCALATE_AFTER", "1")
    monkeypatch.setenv("SENTINELLE_ESCALATION_POLICY", "law-enforcement")
    store_known_list(sandbox_env, name="known")
    notices = notice_urls(sandbox_env, sandbox_env.media_urls(sandbox_env.provider(0))[:1], now=clock.now())
    assert sorted(n.recipient_role for n in notices) == ["hosting", "registrar"]
    for day in (1, 2):
        clock.set(START + day * DAY)
        for one in NoticeItem.objects.order_by("id"):
            assert recheck(one.pk, actor=system) == "still-there"
    states = {i.notice.recipient_role: (i.reminders, i.escalations, i.analyst_flag)
              for i in NoticeItem.objects.select_related("notice")}
    assert states == {"hosting": (1, 1, "law-enforcement"), "registrar": (1, 0, "")}


def test_items_still_online_the_same_day_share_one_reminder_in_the_recipients_language(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, run_worker: Any, sink: MailSink
) -> None:
    store_known_list(sandbox_env, name="known")
    french = sandbox_env.provider(1)
    assert french["language"] == "fr"
    urls = sandbox_env.media_urls(french)[:2]
    (notice,) = notice_urls(sandbox_env, urls, now=clock.now())
    _day(clock, run_worker, START + DAY)
    (reminder,) = Notice.objects.filter(kind="reminder")
    assert reminder.follows_id == notice.pk and reminder.followed_items.count() == 2
    original, mail = sink.wait_for(2, timeout=10)
    assert mail.message["In-Reply-To"] == notice.message_id == original.message_id
    assert f"Rappel : 2 URL de l'avis {notice.reference} toujours en ligne" in mail.subject
    body = _body(mail)
    assert "Nous vous demandons de nouveau de les retirer" in body
    assert "répondez ici ; aucun compte n'est nécessaire" in body and _answers(mail) == notice.reference
    assert all(item.url in body for item in notice.items.all())
    assert len(mail.message.get_payload()) == 3  # the text and one XARF report per item


def test_an_item_removed_before_its_reminder_goes_out_is_left_out(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, run_worker: Any, sink: MailSink
) -> None:
    store_known_list(sandbox_env, name="known")
    host = sandbox_env.provider(0)
    first_url, second_url = sandbox_env.media_urls(host)[:2]
    (notice,) = notice_urls(sandbox_env, [first_url, second_url], now=clock.now())
    clock.set(START + DAY)
    run_worker()  # both still there: one reminder gathering both
    (reminder,) = Notice.objects.filter(kind="reminder", status="draft")
    assert reminder.followed_items.count() == 2
    sandbox_env.take_down([first_url], reference=str(notice.reference))
    first = NoticeItem.objects.get(url__endswith=first_url.rsplit("/", 1)[1])
    from sentinelle.notices.rechecks import recheck, request_recheck

    request_recheck(first.pk, reason="the host says it is gone")
    assert recheck(first.pk, actor=Actor.system("test")) == "removed"
    clock.advance(GATHER)
    run_worker()
    mail = sink.wait_for(2, timeout=10)[1]
    assert "1 URL(s)" in mail.subject and first.url not in _body(mail)


def test_a_recheck_asked_for_early_does_not_hurry_the_ladder(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, run_worker: Any, sink: MailSink
) -> None:
    from sentinelle.notices.rechecks import request_recheck

    store_known_list(sandbox_env, name="known")
    (notice,) = notice_urls(sandbox_env, sandbox_env.media_urls(sandbox_env.provider(0))[:1], now=clock.now())
    item = notice.items.get()
    for hours in (2, 20):  # "removed", says the host: twice, and it is still there
        clock.set(START + timedelta(hours=hours))
        request_recheck(item.pk, reason="the host says it removed the file")
        assert [r["result"] for r in run_worker() if r["task"] == "recheck_item"] == ["still-there"]
    item.refresh_from_db()
    assert (item.checks, item.reminders, item.next_check_at) == (2, 0, START + timedelta(hours=44))
    assert not Notice.objects.filter(kind="reminder").exists()
    _day(clock, run_worker, START + timedelta(hours=44))  # a day after the notice: the first reminder
    item.refresh_from_db()
    assert (item.reminders, item.stepped_at) == (1, START + timedelta(hours=44))
    assert [m.subject.split("]")[1].split(":")[0] for m in sink.wait_for(2, timeout=10)] == [
        " Removal request from Hotline Test", " Reminder"]


def test_a_disputed_item_is_rechecked_but_waits_for_an_analyst(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, run_worker: Any, sink: MailSink
) -> None:
    from sentinelle.responses.services import record_response
    from sentinelle.responses.validation import ResponseInput

    store_known_list(sandbox_env, name="known")
    (notice,) = notice_urls(sandbox_env, sandbox_env.media_urls(sandbox_env.provider(0))[:1], now=clock.now())
    item = notice.items.get()
    record_response(str(notice.reference), ResponseInput(kind="dispute", submission_key="dispute-0001",
                                                         text="This is our own photograph."))
    for day in range(1, 5):  # past the reminders and every escalation step
        _day(clock, run_worker, START + day * DAY)
    item.refresh_from_db()
    assert item.status == "disputed" and item.checks >= 4  # still rechecked, daily
    assert (item.reminders, item.escalations) == (0, 0)
    assert not Notice.objects.filter(kind__in=("reminder", "escalation")).exists()
    assert len(sink.messages) == 1  # the notice itself, nothing after the dispute


def test_a_bad_escalation_policy_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_ESCALATION_POLICY", "upstream,police")
    with pytest.raises(ConfigurationError, match="SENTINELLE_ESCALATION_POLICY"):
        configuration.ladder()
    monkeypatch.setenv("SENTINELLE_ESCALATION_POLICY", "hotline,hotline")
    with pytest.raises(ConfigurationError, match="each at most once"):
        configuration.ladder()
    monkeypatch.setenv("SENTINELLE_ESCALATION_POLICY", " law-enforcement , upstream ")
    monkeypatch.setenv("SENTINELLE_ESCALATE_AFTER", "1")
    assert configuration.ladder() == ("reminder", "law-enforcement", "upstream")
    for value in ("0", "-1", "soon"):
        monkeypatch.setenv("SENTINELLE_RECHECK_HOURS", value)
        with pytest.raises(ConfigurationError, match="SENTINELLE_RECHECK_HOURS"):
            configuration.recheck_interval()
    monkeypatch.setenv("SENTINELLE_RECHECK_HOURS", "0.01")
    assert configuration.recheck_interval() == timedelta(seconds=36)
    assert configuration.inconclusive_retry() == timedelta(seconds=36)
    assert configuration.follow_up_gather() == timedelta(seconds=3.6)
