"""Crawl requests: what to crawl, why, how urgently, and how far it got."""

from __future__ import annotations

from typing import Final

from django.db import models
from django.utils import timezone


class Source(models.TextChoices):
    """Where a request came from."""

    OPERATOR = "operator"
    REPORT = "report"
    PARTNER = "partner"
    RECHECK = "recheck"


class Status(models.TextChoices):
    """queued -> running -> done | failed; queued or running -> cancelled.

    A failure that will be retried puts the request back to queued with a later due time.
    """

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: A request in one of these states blocks another request for the same URL.
OPEN_STATUSES: Final = (Status.QUEUED, Status.RUNNING)


class CrawlRequest(models.Model):
    """A URL to crawl. At most one open (queued or running) request exists per URL."""

    url = models.TextField(help_text="normalised (see sentinelle.crawl.normalize)")
    url_key = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of url")
    source = models.CharField(max_length=16, choices=Source.choices)
    priority = models.IntegerField(default=0, help_text="higher is crawled first")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0, help_text="times a worker claimed it")
    last_error = models.TextField(blank=True, default="")
    requested_by = models.CharField(max_length=200, help_text="kind:name of the requester")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    not_before = models.DateTimeField(default=timezone.now, help_text="due time")
    claimed_by = models.CharField(max_length=200, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("url_key",),
                condition=models.Q(status__in=OPEN_STATUSES),
                name="crawl_one_open_request_per_url",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="crawl_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=Source.values), name="crawl_source_known"
            ),
        )
        indexes = (
            models.Index(
                fields=("-priority", "created", "id"),
                condition=models.Q(status=Status.QUEUED),
                name="crawl_queued_order",
            ),
            models.Index(
                fields=("claimed_at",),
                condition=models.Q(status=Status.RUNNING),
                name="crawl_running_since",
            ),
        )

    def __str__(self) -> str:
        return f"crawl request {self.pk} ({self.status}) {self.url}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
