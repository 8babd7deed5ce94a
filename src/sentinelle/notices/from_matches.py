"""From matches to notice items: the intake of sightings whose media matched a listed hash.

A pass (:func:`run`; the worker's ``notice_matches`` task) looks at the sightings recorded
since the last pass (a cursor over their ids, re-reading :data:`OVERLAP` ids below it for
writers that committed late) and at those waiting for a recipient whose retry time came.
Each sighting is decided once and the decision kept (a :class:`SightingIntake` row), so a
second pass adds nothing:

* ``skipped``: no match held on the reference path;
* ``analyst``: no confirmed match against an enabled, verified list, or only under another
  category than csam / harmful-abusive (:mod:`.match_selection`); it waits for an analyst;
* ``invalid``: the URL cannot go on a notice;
* ``blocked``: the do-not-act list covers the URL, its host or a hash;
* ``unattributed``: attribution found nobody to tell (the URL has an open attribution flag);
  attributed again at ``retry_at`` (5 minutes, doubling up to a day), never dropped;
* ``redecide``: analysts put the media's hash on a verified list (sentinelle.classification):
  decided again by the next pass, like a due ``unattributed`` row;
* ``noticed``: the item is on each recipient's notice for the current window.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from django.db.models import Exists, Max, OuterRef

from sentinelle.attribution.attributor import Attributor
from sentinelle.attribution.chain import Recipient, Role
from sentinelle.attribution.services import attribute, get_attribution
from sentinelle.audit.services import Actor
from sentinelle.notices.exceptions import InvalidNoticeItem, NoticesError
from sentinelle.notices.intake import add_items, is_blocked
from sentinelle.notices.items import ItemInput
from sentinelle.notices.match_selection import select
from sentinelle.notices.models import IntakeState, SightingIntake, SweepCursor
from sentinelle.notices.recipients import NoticeRecipient, from_attribution
from sentinelle.sightings.models import Match, Sighting

CURSOR: Final = "intake:sightings"
OVERLAP: Final = 1000
RETRY_BASE: Final = timedelta(minutes=5)
RETRY_CAP: Final = timedelta(hours=24)
#: An attribution older than this is made again before a notice relies on it.
ATTRIBUTION_MAX_AGE: Final = timedelta(hours=24)


@dataclass(frozen=True)
class Decision:
    state: str  #: an IntakeState
    reason: str
    item: ItemInput | None = None
    recipients: tuple[NoticeRecipient, ...] = ()


@dataclass
class IntakeReport:
    examined: int = 0
    states: Counter[str] = field(default_factory=Counter)
    items_added: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"examined": self.examined, "states": dict(self.states), "items_added": self.items_added}


def run(*, attributor: Attributor, actor: Actor, now: datetime, limit: int = 500) -> IntakeReport:
    """One pass: new sightings with matches, then the unattributed ones due again."""
    top = Sighting.objects.aggregate(n=Max("id"))["n"] or 0
    cursor, _ = SweepCursor.objects.get_or_create(name=CURSOR)
    taken = SightingIntake.objects.filter(sighting=OuterRef("pk"))
    fresh = list(
        Sighting.objects.filter(id__gt=max(cursor.position - OVERLAP, 0), id__lte=top)
        .filter(Exists(Match.objects.filter(sighting=OuterRef("pk")))).exclude(Exists(taken))
        .select_related("media").order_by("id")[:limit]
    )
    upto = top if len(fresh) < limit else fresh[-1].pk
    again = (IntakeState.UNATTRIBUTED, IntakeState.REDECIDE)
    due = [row.sighting for row in SightingIntake.objects.filter(state__in=again, retry_at__lte=now)
           .select_related("sighting__media").order_by("retry_at", "id")[:limit]]
    attributions: dict[str, list[Recipient]] = {}
    decisions = [(s, decide(s, attributor, now, attributions)) for s in fresh + due]
    report = IntakeReport(examined=len(decisions))
    report.items_added = _notice(decisions, actor, now)
    for sighting, decision in decisions:
        _keep(sighting, decision, now)
        report.states[str(decision.state)] += 1
    SweepCursor.objects.filter(name=CURSOR).update(position=max(cursor.position, upto), pending_until=None)
    return report


def decide(sighting: Sighting, attributor: Attributor, now: datetime,
           attributions: dict[str, list[Recipient]] | None = None) -> Decision:
    selection = select(sighting)
    if selection.item is None:
        state = IntakeState.ANALYST if selection.waits else IntakeState.SKIPPED
        return Decision(state, selection.reason)
    item = selection.item
    try:
        if is_blocked(item):
            return Decision(IntakeState.BLOCKED, "the do-not-act list covers the URL, its host or a hash")
    except InvalidNoticeItem as exc:
        return Decision(IntakeState.INVALID, str(exc))
    known = attributions if attributions is not None else {}
    if sighting.url not in known:
        known[sighting.url] = _recipients(sighting, attributor, now)
    recipients = from_attribution(known[sighting.url])
    if not recipients:
        row = get_attribution(sighting.url)
        why = ", ".join(row.reasons) if row is not None and row.reasons else "no recipient"
        return Decision(IntakeState.UNATTRIBUTED, f"attribution found nobody to tell ({why})")
    keys = ", ".join(r.key for r in recipients)
    return Decision(IntakeState.NOTICED, f"to {keys}", item, tuple(recipients))


def _recipients(sighting: Sighting, attributor: Attributor, now: datetime) -> list[Recipient]:
    row = get_attribution(sighting.url)
    if row is None or not row.recipients or row.attributed < now - ATTRIBUTION_MAX_AGE:
        row, _ = attribute(sighting.url, attributor=attributor, address=sighting.ip)
    found = [Recipient.from_dict(value) for value in row.recipients]
    return found if any(r.role is not Role.REGISTRAR for r in found) else []


def _notice(decisions: list[tuple[Sighting, Decision]], actor: Actor, now: datetime) -> int:
    """Put the items on their recipients' notices, one call per recipient; a recipient that
    cannot be used turns its sightings back to ``unattributed`` (tried again later)."""
    batches: dict[str, tuple[NoticeRecipient, list[ItemInput]]] = {}
    for _, decision in decisions:
        for recipient in decision.recipients:
            assert decision.item is not None
            batches.setdefault(recipient.key, (recipient, []))[1].append(decision.item)
    added, failed = 0, {}
    for key, (recipient, items) in batches.items():
        try:
            added += add_items(recipient, items, actor=actor, now=now).added
        except NoticesError as exc:
            failed[key] = str(exc)
    for index, (sighting, decision) in enumerate(decisions):
        problems = [failed[r.key] for r in decision.recipients if r.key in failed]
        if problems:
            decisions[index] = (sighting, Decision(IntakeState.UNATTRIBUTED, "; ".join(problems)))
    return added


def _keep(sighting: Sighting, decision: Decision, now: datetime) -> None:
    held = SightingIntake.objects.filter(sighting=sighting).values_list("attempts", flat=True).first()
    attempts = (held or 0) + 1
    retry = None
    if decision.state == IntakeState.UNATTRIBUTED:
        retry = now + min(RETRY_BASE * 2 ** min(attempts - 1, 20), RETRY_CAP)
    SightingIntake.objects.update_or_create(
        sighting=sighting,
        defaults={"state": decision.state, "reason": decision.reason[:2000], "attempts": attempts,
                  "retry_at": retry, "updated": now},
        create_defaults={"state": decision.state, "reason": decision.reason[:2000], "attempts": attempts,
                         "retry_at": retry, "updated": now, "created": now},
    )


def pending(states: tuple[str, ...] = (IntakeState.ANALYST, IntakeState.UNATTRIBUTED, IntakeState.INVALID),
            limit: int = 1000) -> list[SightingIntake]:
    """Sightings the intake could not notice, oldest first: for an analyst."""
    return list(SightingIntake.objects.filter(state__in=states).select_related("sighting__media")
                .order_by("created", "id")[:limit])
