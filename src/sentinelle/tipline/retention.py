"""Erasing reporters' contact details once ``SENTINELLE_TIPLINE_CONTACT_RETENTION_DAYS`` have
passed since the report (the report itself, its URLs and additions stay).

``sentinelle worker`` runs :class:`ContactPurge` on every tick; ``sentinelle tipline purge``
runs it by hand. Each erased report writes a ``report:purge-contact`` audit event.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from django.db import transaction
from django.db.models import Q

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.config import integer
from sentinelle.tipline.models import Report

SETTING: Final = "SENTINELLE_TIPLINE_CONTACT_RETENTION_DAYS"
ACTOR: Final = Actor.system("tipline-retention")
_HAS_CONTACT: Final = ~Q(contact_name="") | ~Q(contact_email="") | ~Q(contact_phone="")


def retention() -> timedelta:
    return timedelta(days=integer(SETTING, minimum=0))


def purge_contacts(now: datetime | None = None, limit: int = 500) -> int:
    """Erase the contact details of up to ``limit`` reports older than the retention period;
    how many were erased."""
    moment = now or clock.current().now()
    cutoff = moment - retention()
    purged = 0
    with transaction.atomic():
        due = (Report.objects.select_for_update().filter(_HAS_CONTACT, received_at__lte=cutoff)
               .order_by("id")[:limit])
        for report in due:
            report.contact_name = report.contact_email = report.contact_phone = ""
            report.contact_purged_at = moment
            report.save(update_fields=["contact_name", "contact_email", "contact_phone", "contact_purged_at"])
            record(AuditAction.REPORT_PURGE_CONTACT, actor=ACTOR, target_type="tipline.report",
                   target_id=report.pk, after={"reference": report.reference, "retention_days": retention().days})
            purged += 1
    return purged


class ContactPurge:
    """Due work for the worker's scheduler: the purge itself is one small query, run in the tick."""

    name = "tipline-contacts"

    def enqueue_due(self, now: datetime, limit: int) -> int:
        return purge_contacts(now, limit)
