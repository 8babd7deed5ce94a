"""Changing a report's outcome: one transaction, one audit event (``report:outcome``).

The event names the report (its id, as the tipline's events do, and its reference) with the outcome before and after; it never
holds the report's text or the reporter's contact details.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.console.exceptions import UnknownOutcome, UnknownReport
from sentinelle.console.models import Outcome, ReportOutcome
from sentinelle.tipline.models import Report

TARGET_TYPE = "tipline.report"


def open_reports() -> QuerySet[Report]:
    """Reports without an outcome: a child possibly in danger first, then the oldest first."""
    return Report.objects.filter(outcome__isnull=True).order_by("-danger_now", "received_at", "id")


def set_outcome(reference: str, outcome: str, *, actor: Actor, now: datetime | None = None) -> ReportOutcome:
    """Give the report ``reference`` an outcome (or change it); the report leaves the open queue."""
    try:
        chosen = Outcome(outcome)
    except ValueError:
        raise UnknownOutcome(f"unknown outcome: {outcome[:40]!r}") from None
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(reference=reference).first()
        if report is None:
            raise UnknownReport(f"no report {reference[:40]!r}")
        row = ReportOutcome.objects.filter(report=report).first()
        before = row.outcome if row else None
        moment = now or clock.current().now()
        if row is None:
            row = ReportOutcome(report=report)
        row.outcome, row.set_by, row.set_at = chosen.value, actor.name, moment
        row.save()
        record(AuditAction.REPORT_OUTCOME, actor=actor, target_type=TARGET_TYPE, target_id=report.pk,
               before={"outcome": before}, after={"outcome": chosen.value}, details={"reference": reference})
    return row
