"""The retention job: review media bytes are deleted once they expire.

:func:`purge_expired` is a plain function for now; the task worker's scheduler will call it
(hourly is plenty). Reads refuse expired bytes even before the job has run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.config import integer
from sentinelle.review.models import ReviewMedia

#: Who the purge is recorded as when no actor is given.
RETENTION_JOB = Actor.system("review-retention")


def retention_period() -> timedelta:
    """How long review bytes are kept: ``SENTINELLE_REVIEW_RETENTION_DAYS`` (default 30)."""
    return timedelta(days=integer("SENTINELLE_REVIEW_RETENTION_DAYS", minimum=1))


def purge_expired(now: datetime | None = None, *, actor: Actor = RETENTION_JOB) -> int:
    """Delete every review copy whose ``expires_at`` has passed; return how many went.

    A purge that deleted something writes one ``review:purge`` audit event with the count.
    """
    moment = now or timezone.now()
    with transaction.atomic():
        _, per_model = ReviewMedia.objects.filter(expires_at__lte=moment).delete()
        count = int(per_model.get(ReviewMedia._meta.label, 0))
        if count:
            record(
                AuditAction.REVIEW_PURGE,
                actor=actor,
                target_type="review_media",
                details={"count": count, "expired_by": moment.isoformat()},
            )
    return count
