"""Reminders and escalation: what a recheck that finds an item still there does next.

The ladder (:func:`~.configuration.ladder`) is ``SENTINELLE_ESCALATE_AFTER`` reminders, then
the steps of ``SENTINELLE_ESCALATION_POLICY``; each such recheck takes the next rung:

* ``reminder``: a reminder to the notice's recipient (``In-Reply-To`` the notice);
* ``upstream``: an escalation to the upstream network's abuse desk
  (:func:`sentinelle.attribution.upstream.upstream_for`);
* ``hotline``: an escalation to the hotline of the country the URL is hosted in (the
  attribution's country, looked up in :mod:`.hotlines`);
* ``law-enforcement``: the item is flagged for an analyst (``analyst_flag``).

A step that cannot be taken (no upstream found, no hotline for the country, the country
unknown) is recorded as skipped and the next one is taken at once. A registrar's copy of a
notice (``SENTINELLE_NOTIFY_REGISTRAR``) gets the reminders only: the host's notice escalates. After the last rung the
item is still rechecked until it is gone, without further messages. Every step is an event
on the item and an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sentinelle.attribution.services import get_attribution
from sentinelle.attribution.upstream import upstream_for
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.notices import configuration, hotlines, timeline
from sentinelle.notices.followups import follow_up, recipient_of
from sentinelle.notices.models import Kind, NoticeEvent, NoticeItem
from sentinelle.notices.recipients import NoticeRecipient, from_attribution
from sentinelle.notices.wiring import Wiring

LAW_ENFORCEMENT = "law-enforcement"


@dataclass(frozen=True)
class Step:
    name: str  #: a rung of the ladder, or "" when none is left
    recipients: tuple[NoticeRecipient, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  #: (step, why) passed over on the way


def rungs_for(role: str) -> tuple[str, ...]:
    """The ladder of an item on a notice to a recipient of ``role``: a registrar's copy gets
    the reminders only (the host's own notice escalates, so nobody hears twice)."""
    rungs = configuration.ladder()
    return tuple(r for r in rungs if r == "reminder") if role == "registrar" else rungs


def due(item: NoticeItem, now: datetime) -> bool:
    """A step is taken at most once per recheck interval (counted from the notice's sending,
    then from the last step): a recheck asked for early, or made again soon after an
    inconclusive one, does not hurry the ladder along."""
    since = item.stepped_at or item.notice.sent_at
    return since is not None and now >= since + configuration.recheck_interval()


def plan(item: NoticeItem, wiring: Wiring) -> Step:
    """The item's next step (looked up before the transaction: RDAP may be asked)."""
    rungs = rungs_for(item.notice.recipient_role)
    index = item.reminders + item.escalations
    skipped: list[tuple[str, str]] = []
    while index < len(rungs):
        name = rungs[index]
        if name == "reminder":
            return Step(name, (recipient_of(item.notice),), tuple(skipped))
        if name == LAW_ENFORCEMENT:
            return Step(name, (), tuple(skipped))
        recipients, why = _escalation(name, item, wiring)
        if recipients:
            return Step(name, tuple(recipients), tuple(skipped))
        skipped.append((name, why))
        index += 1
    return Step("", (), tuple(skipped))


def _escalation(name: str, item: NoticeItem, wiring: Wiring) -> tuple[list[NoticeRecipient], str]:
    if name == "upstream":
        found = upstream_for(item.url, attributor=wiring.attributor(), exclude=[item.notice.recipient_email])
        return from_attribution(found), "no upstream abuse contact was found"
    row = get_attribution(item.url)
    country = row.country if row is not None else ""
    if not country:
        return [], "the hosting country is not known"
    hotline = hotlines.hotline_for(country)
    if hotline is None:
        return [], f"no hotline is listed for {country.upper()} (sentinelle hotlines set)"
    return [hotlines.recipient(hotline)], ""


def take(step: Step, item: NoticeItem, *, actor: Actor, now: datetime) -> None:
    """Take ``step`` for the (locked) item: messages, flags, counters, events, audit."""
    original = item.notice
    who = f"{actor.kind}:{actor.name}"
    if step.name or step.skipped:
        item.stepped_at = now
    for name, why in step.skipped:
        item.escalations += 1
        _event(item, "escalation-skipped", who, now, {"step": name, "why": why})
        record(AuditAction.NOTICE_ESCALATE, actor=actor, target_type=timeline.TARGET_TYPE,
               target_id=original.reference, details={"item": str(item.report_id), "step": name, "skipped": why})
    if step.name == "reminder":
        reminder = follow_up(original, Kind.REMINDER, step.recipients[0], item, step="reminder", actor=actor, now=now)
        item.reminders += 1
        details = {"reminder": reminder.reference, "number": item.reminders}
        _event(item, "reminder", who, now, details)
        record(AuditAction.NOTICE_REMIND, actor=actor, target_type=timeline.TARGET_TYPE,
               target_id=original.reference, details={"item": str(item.report_id), **details})
    elif step.name == LAW_ENFORCEMENT:
        item.escalations += 1
        item.escalated_at = item.escalated_at or now
        item.analyst_flag, item.flagged_at = LAW_ENFORCEMENT, now
        _event(item, "flagged", who, now, {"step": LAW_ENFORCEMENT})
        record(AuditAction.NOTICE_FLAG, actor=actor, target_type=timeline.TARGET_TYPE,
               target_id=original.reference, details={"item": str(item.report_id), "flag": LAW_ENFORCEMENT})
    elif step.name:
        made = [follow_up(original, Kind.ESCALATION, r, item, step=step.name, actor=actor, now=now)
                for r in step.recipients]
        item.escalations += 1
        item.escalated_at = item.escalated_at or now
        details = {"step": step.name, "to": [r.key for r in step.recipients],
                   "escalations": [n.reference for n in made]}
        _event(item, "escalated", who, now, details)
        record(AuditAction.NOTICE_ESCALATE, actor=actor, target_type=timeline.TARGET_TYPE,
               target_id=original.reference, details={"item": str(item.report_id), **details})


def _event(item: NoticeItem, event: str, actor: str, now: datetime, details: dict[str, object]) -> None:
    NoticeEvent.objects.create(notice_id=item.notice_id, item=item, at=now, event=event, actor=actor,
                               details=details)
