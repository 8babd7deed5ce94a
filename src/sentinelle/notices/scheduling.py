"""The notices' due work, for the worker's scheduler (see :mod:`sentinelle.worker.scheduler`).

Each source finds the rows whose time has come and enqueues a task for each, pushing the
row's due time a claim period ahead in the same transaction: the row is not enqueued twice
while its task waits, and if the task is lost it is enqueued again when that time passes.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max

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

        due_now = Notice.objects.filter(status__in=PENDING, due_at__lte=now)
        if not due_now.exists():  # the common case, answered without a write lock
            return 0
        hold = now + configuration.claim()
        with transaction.atomic():
            due = list(
                Notice.objects.select_for_update(skip_locked=True)
                .filter(status__in=PENDING, due_at__lte=now)
                .order_by("due_at", "id")
                .values_list("pk", flat=True)[:limit]
            )
            Notice.objects.filter(pk__in=due).update(due_at=hold)
            for notice_id in due:
                deliver_notice.enqueue(notice_id)
        return len(due)


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

        due_now = NoticeItem.objects.filter(status__in=LIVE, next_check_at__lte=now)
        if not due_now.exists():
            return 0
        hold = now + configuration.claim()
        with transaction.atomic():
            due = list(
                NoticeItem.objects.select_for_update(skip_locked=True)
                .filter(status__in=LIVE, next_check_at__lte=now)
                .order_by("next_check_at", "id")
                .values_list("pk", flat=True)[:limit]
            )
            NoticeItem.objects.filter(pk__in=due).update(next_check_at=hold)
            for item_id in due:
                recheck_item.enqueue(item_id)
        return len(due)


class DueMatches:
    """An intake pass, when sightings were recorded since the last one or a sighting waiting
    for a recipient is due to be attributed again."""

    name = "intake"

    def enqueue_due(self, now: datetime, limit: int) -> int:
        from sentinelle.notices.tasks import notice_matches

        position = SweepCursor.objects.filter(name=INTAKE_CURSOR).values_list("position", flat=True).first() or 0
        newest = Sighting.objects.aggregate(n=Max("id"))["n"] or 0
        retries = SightingIntake.objects.filter(state=IntakeState.UNATTRIBUTED, retry_at__lte=now)
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
