"""Reports from the public, what reporters added later, and the URLs they named.

No raw client address is stored: ``client_hash`` is the HMAC of the address under a key that
lives two days (see :mod:`sentinelle.responses.clients`). The receipt code is stored only as
its SHA-256 (see :mod:`sentinelle.tipline.receipts`), and so is the one-time token of the
form that sent the report (see :mod:`sentinelle.tipline.submissions`). Contact details are
erased after ``SENTINELLE_TIPLINE_CONTACT_RETENTION_DAYS`` (``contact_purged_at`` says when).
"""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    CSAM = "csam"
    LURING = "luring"
    INTIMATE_IMAGES = "intimate-images"  #: non-consensual distribution, person under 18
    MAKING_AVAILABLE = "making-available"  #: sexually explicit material made available to a child
    ARRANGEMENT = "arrangement"  #: agreement or arrangement to commit a sexual offence against a child
    TRAFFICKING = "trafficking"
    COMMERCIAL = "commercial-exploitation"
    TRAVELLING = "travelling"
    SEXTORTION = "sextortion"
    OTHER = "other"


class Report(models.Model):
    reference = models.CharField(max_length=16, unique=True, help_text="short, for people: TL-XXXX-XXXX")
    receipt_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the receipt code")
    category = models.CharField(max_length=32, choices=Category.choices)
    danger_now = models.BooleanField(help_text="the reporter thinks a child may be in danger now")
    what_happened = models.TextField()
    when_happened = models.CharField(max_length=200, blank=True, default="")
    contact_name = models.CharField(max_length=200, blank=True, default="")
    contact_email = models.CharField(max_length=320, blank=True, default="")
    contact_phone = models.CharField(max_length=64, blank=True, default="")
    contact_purged_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=2)
    received_at = models.DateTimeField()
    client_hash = models.CharField(max_length=64, blank=True, default="")
    submission_hash = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                       help_text="SHA-256 of the form's one-time token (null for older reports)")

    class Meta:
        ordering = ("id",)
        constraints = (
            models.CheckConstraint(condition=models.Q(category__in=Category.values), name="tipline_category_known"),
        )
        indexes = (models.Index(fields=("client_hash", "received_at"), name="tipline_reports_by_client"),)

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_email or self.contact_phone)

    def __str__(self) -> str:
        return f"{self.reference} ({self.category}, {self.received_at:%Y-%m-%d})"


class ReportUrl(models.Model):
    """A URL as the reporter gave it, and what became of it: a crawl request, or the reason
    the crawler may not fetch it (``refusal``, never shown to the reporter)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="urls")
    url = models.TextField(help_text="as given")
    crawl_request = models.ForeignKey("crawl.CrawlRequest", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    refusal = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ("id",)


class Addition(models.Model):
    """Information a reporter added later with the receipt code."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="additions")
    text = models.TextField()
    received_at = models.DateTimeField()
    client_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ("id",)
        indexes = (models.Index(fields=("client_hash", "received_at"), name="tipline_additions_by_client"),)
