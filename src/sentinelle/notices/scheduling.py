"""The notices' due work, for the worker's scheduler (see :mod:`sentinelle.worker.scheduler`).

Each source finds the rows whose time has come and enqueues a task for each, pushing the
row's due time a claim period ahead in the same transaction: the row is not enqueued twice
while its task waits, and if the task is lost it is enqueued again when that time passes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet

from sentinelle.notices import configuration
from sentinelle.notices.from_matches import CURSOR as INTAKE_CURSOR
from sentinelle.notices.models import (
    LIVE,
    PENDING,
    IntakeState,
    Notice,
    NoticeItem,
    SightingIntake,
    SweepCursor,
)
from sentinelle.notices.sweep import cursors, latest
from sentinelle.sightings.models import Sighting


class DueNotices:
    """Notices whose window ended, whose retry time came, or whose claim expired."""

    name = "notices"

    def enqueue_due(self, now: datetime, limit: int) -> int:
        from sentinelle.notices.tasks import deliver_notice

        return _claim_due(Notice.objects.filter(status__in=PENDING), "due_at", now, limit, deliver_notice.enqueue)


class RetractionSweep:
    """A sweep, when the lists lost hashes or the do-not-act list grew since the last one."""

    name = "retractions"

    def enqueue_due(self, now: datetime, limit: int) -> int:
        from sentinelle.notices.tasks import sweep_retractions

        positions = dict(SweepCursor.objects.values_list("name", "position"))
        if all(positions.get(name, 0) >= position for name, position in latest().items()):
            return 0  # nothing new: answered without a write lock
        with transaction.atomic():
            held = cursors()
            upto = latest()
            if all(held[name].position >= position for name, position in upto.items()):
                return 0
            if any(c.pending_until is not None and c.pending_until > now for c in held.values()):
                return 0
            for cursor in held.values():
                cursor.pending_until = now + configuration.claim()
                cursor.save(update_fields=["pending_until"])
            sweep_retractions.enqueue()
        return 1


class DueRechecks:
    """Noticed items whose recheck time came (an interval after their notice went out, or
    at once when asked for)."""

    name = "rechecks"

    def enqueue_due(self, now: datetime, limit: int) -> int:
        from sentinelle.notices.tasks import recheck_item

        return _claim_due(NoticeItem.objects.filter(status__in=LIVE), "next_check_at", now, limit,
                          recheck_item.enqueue)


class DueMatches:
    """An intake pass, when sightings were recorded since the last one or a sighting waiting
    for a recipient is due to be attributed again."""

    name = "intake"

    def enqueue_due(self, now: datetime, limit: int) -> int:
        from sentinelle.notices.tasks import notice_matches

        position = SweepCursor.objects.filter(name=INTAKE_CURSOR).values_list("position", flat=True).first() or 0
        newest = Sighting.objects.aggregate(n=Max("id"))["n"] or 0
        retries = SightingIntake.objects.filter(state__in=(IntakeState.UNATTRIBUTED, IntakeState.REDECIDE),
                                                retry_at__lte=now)
        if newest <= position and not retries.exists():
            return 0
        with transaction.atomic():
            cursor, _ = SweepCursor.objects.get_or_create(name=INTAKE_CURSOR)
            cursor = SweepCursor.objects.select_for_update().get(pk=cursor.pk)
            if cursor.pending_until is not None and cursor.pending_until > now:
                return 0
            cursor.pending_until = now + configuration.claim()
            cursor.save(update_fields=["pending_until"])
            notice_matches.enqueue()
        return 1


def _claim_due(rows: QuerySet[Any], due_field: str, now: datetime, limit: int,
               enqueue: Callable[[int], object]) -> int:
    """Enqueue the rows whose ``due_field`` has come (oldest first, at most ``limit``), moving
    it a claim's length ahead so that no other scheduler enqueues them again meanwhile; a task
    that never finishes leaves its row due again when the claim expires."""
    due_now = rows.filter(**{f"{due_field}__lte": now})
    if not due_now.exists():  # the common case, answered without a write lock
        return 0
    hold = now + configuration.claim()
    with transaction.atomic():
        due = list(due_now.select_for_update(skip_locked=True).order_by(due_field, "id")
                   .values_list("pk", flat=True)[:limit])
        rows.model.objects.filter(pk__in=due).update(**{due_field: hold})
        for pk in due:
            enqueue(pk)
    return len(due)
