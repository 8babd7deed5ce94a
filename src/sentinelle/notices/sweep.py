"""Finding the items to retract: follow the lists' change log and the do-not-act list.

Two cursors (rows of :class:`SweepCursor`) remember the last list change and the last
do-not-act entry looked at. A sweep reads what came after them, retracts the open items
concerned, and moves the cursors, in one transaction: a sweep cut short is done again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from django.db import transaction
from django.db.models import Max, Q

from sentinelle import clock
from sentinelle.audit.services import Actor
from sentinelle.banks.models import ListChange
from sentinelle.donotact.models import DoNotAct
from sentinelle.notices.models import LIVE, NoticeItem, Status, SweepCursor
from sentinelle.notices.retraction import DO_NOT_ACT, OFF_EVERY_LIST, retract, still_listed

LISTS: Final = "retraction:lists"
DONOTACT: Final = "retraction:donotact"
_HASH_COLUMNS: Final = ("md5", "sha1", "sha256", "pdq")


def latest() -> dict[str, int]:
    """The newest position of each log the sweep follows."""
    return {
        LISTS: ListChange.objects.aggregate(n=Max("id"))["n"] or 0,
        DONOTACT: DoNotAct.objects.aggregate(n=Max("id"))["n"] or 0,
    }


def cursors() -> dict[str, SweepCursor]:
    """Both cursors, locked (created at 0 the first time)."""
    for name in (LISTS, DONOTACT):
        SweepCursor.objects.get_or_create(name=name)
    return {c.name: c for c in SweepCursor.objects.select_for_update().filter(name__in=(LISTS, DONOTACT))}


def sweep(*, actor: Actor, now: datetime | None = None) -> int:
    """Retract what the changes since the cursors call for; the number of items retracted."""
    moment = now or clock.current().now()
    with transaction.atomic():
        held = cursors()
        upto = latest()
        open_items = NoticeItem.objects.filter(status__in=LIVE).exclude(notice__status=Status.CANCELLED)
        removed = ListChange.objects.filter(
            id__gt=held[LISTS].position, id__lte=upto[LISTS], op=ListChange.Op.REMOVE
        ).values_list("signal_type", "hash")
        unlisted = []
        for signal_type, value in set(removed):
            for item in open_items.filter(matches__signal_type=signal_type, matches__hash=value).distinct():
                if item not in unlisted and not still_listed(item):
                    unlisted.append(item)
        count = len(unlisted)
        retract(unlisted, OFF_EVERY_LIST, actor=actor, now=moment)
        entries = DoNotAct.objects.filter(id__gt=held[DONOTACT].position, id__lte=upto[DONOTACT])
        covered = {item.pk: item for entry in entries for item in open_items.filter(_covers(entry))}
        count += len(covered)
        retract(covered.values(), DO_NOT_ACT, actor=actor, now=moment)
        for name, cursor in held.items():
            cursor.position, cursor.pending_until = max(cursor.position, upto[name]), None
            cursor.save(update_fields=["position", "pending_until"])
    return count


def _covers(entry: DoNotAct) -> Q:
    """The items a do-not-act entry covers."""
    if entry.kind == DoNotAct.Kind.HASH:
        own = Q(**{entry.signal_type: entry.value}) if entry.signal_type in _HASH_COLUMNS else Q(pk__in=[])
        return own | Q(matches__signal_type=entry.signal_type, matches__hash=entry.value)
    if entry.kind == DoNotAct.Kind.URL:
        return Q(url=entry.value)
    return Q(host=entry.value) | Q(host__endswith=f".{entry.value}")
