"""A referral: a package of what the hotline knows about a report or notice items, made for
a law-enforcement agency, kept exactly as produced (with its SHA-256) so it can be produced
again byte for byte and checked."""

from __future__ import annotations

from django.db import models


class Referral(models.Model):
    reference = models.CharField(max_length=32, unique=True, null=True, help_text="RF-YYYY-NNNNNN")
    agency = models.CharField(max_length=200, help_text="the agency or unit it goes to, as typed")
    note = models.TextField(blank=True, default="")
    created_by = models.CharField(max_length=200, help_text="the analyst's user name")
    created_at = models.DateTimeField()
    report = models.ForeignKey("tipline.Report", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="referrals")
    items = models.ManyToManyField("notices.NoticeItem", blank=True, related_name="referrals")
    package_format = models.CharField(max_length=64)
    package = models.TextField(help_text="the JSON package exactly as produced (UTF-8, canonical)")
    package_sha256 = models.CharField(max_length=64)
    contact_included = models.BooleanField(default=False, help_text="the reporter's contact details are in it")
    audit_seq = models.BigIntegerField(default=0, help_text="the audit chain's last event the package includes")

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.reference} to {self.agency}"
