"""What the analysts decided about a report: its outcome (one per report, changeable, audited).

A report without an outcome is open: it waits in the queue. The tipline's ``Report`` is not
edited; the outcome lives here, next to it.
"""

from __future__ import annotations

from django.db import models


class Outcome(models.TextChoices):
    ACTIONED = "actioned"  #: the content was confirmed and acted on (notices, flags)
    REFERRED = "referred"  #: passed to the police or another hotline
    NO_VIOLATION = "no-violation"  #: nothing illegal or harmful was found
    DUPLICATE = "duplicate"  #: the same as a report already handled
    UNREACHABLE = "unreachable"  #: the content was gone or could not be reached


class ReportOutcome(models.Model):
    report = models.OneToOneField("tipline.Report", on_delete=models.PROTECT, related_name="outcome")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    set_by = models.CharField(max_length=200, help_text="the analyst's user name")
    set_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.CheckConstraint(condition=models.Q(outcome__in=Outcome.values), name="console_outcome_known"),
        )

    def __str__(self) -> str:
        return f"{self.report_id}: {self.outcome}"
