"""Verdicts, decisions, looks and reveals: what analysts did with review items.

An item is one media file (content-addressed, :class:`sentinelle.sightings.models.Media`).
Rows are evidence: they are added, never edited away (an exposure's end is filled in once).
"""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    """What an analyst can say of an item. The first two are the notice categories."""

    CSAM = "csam"
    HARMFUL = "harmful-abusive"
    NOT_ILLEGAL = "not-illegal"


class Verdict(models.Model):
    """One analyst's category for one item: given once."""

    media = models.ForeignKey("sightings.Media", on_delete=models.PROTECT, related_name="+")
    analyst = models.CharField(max_length=150, help_text="user name")
    category = models.CharField(max_length=32, choices=Category.choices)
    given_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("media", "analyst"), name="classification_one_verdict"),
        )


class Decision(models.Model):
    """The final category of an item: agreed by analysts, or settled by a supervisor."""

    class How(models.TextChoices):
        AGREEMENT = "agreement"
        SETTLED = "settled"

    media = models.OneToOneField("sightings.Media", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=32, choices=Category.choices)
    how = models.CharField(max_length=16, choices=How.choices)
    decided_by = models.CharField(max_length=150, help_text="the supervisor, or the analysts")
    decided_at = models.DateTimeField()
    list_name = models.CharField(max_length=100, blank=True, default="", help_text="joined, if any")
    hashes = models.JSONField(default=list, help_text="[signal type, hash] pairs added")


class Exposure(models.Model):
    """One look at an item's page: from ``started_at`` to the verdict or the analyst's next
    review page, counted for at most the exposure cap (see docs/review.md)."""

    media = models.ForeignKey("sightings.Media", on_delete=models.PROTECT, related_name="+")
    analyst = models.CharField(max_length=150, db_index=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    revealed = models.BooleanField(default=False, help_text="the original was shown")

    class Meta:
        indexes = (models.Index(fields=("analyst", "started_at")),)


class Reveal(models.Model):
    """An audited request to see one item's original: good for one fetch, for a short time."""

    media = models.ForeignKey("sightings.Media", on_delete=models.PROTECT, related_name="+")
    analyst = models.CharField(max_length=150)
    token = models.CharField(max_length=43, unique=True)
    granted_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
