"""Where media was seen, and what it matched. Evidence: rows are kept, never edited away.

Keys: a host by its name, a page by the SHA-256 of its normalised URL, a media file by the
SHA-256 of its bytes (content addressing), a sighting by its ``key`` (see
:func:`sentinelle.sightings.services.sighting_key`).
"""

from __future__ import annotations

from django.db import models

from sentinelle.hashing import PdqPath

PDQ_PATHS = tuple(path.value for path in PdqPath)


class Host(models.Model):
    """A host name (lowercase, IDNA) or IP literal that served a page or a file."""

    name = models.CharField(max_length=255, unique=True)
    first_seen = models.DateTimeField()

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return str(self.name)


class Page(models.Model):
    """A web page media was found on. ``confirmed``: at least one of its media matched."""

    url = models.TextField(help_text="normalised (see sentinelle.crawl.normalize)")
    url_key = models.CharField(max_length=64, unique=True, help_text="SHA-256 of url")
    host = models.ForeignKey(Host, on_delete=models.PROTECT, related_name="pages")
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    last_status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="HTTP")
    confirmed = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.url)


class Media(models.Model):
    """One file, whatever URL served it: content-addressed by the SHA-256 of its bytes."""

    sha256 = models.CharField(max_length=64, unique=True)
    md5 = models.CharField(max_length=32, db_index=True)
    sha1 = models.CharField(max_length=40, db_index=True)
    size = models.PositiveBigIntegerField(help_text="bytes")
    mime = models.CharField(max_length=100, help_text="sniffed from the bytes")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    pdq = models.CharField(max_length=64, blank=True, default="", db_index=True)
    pdq_quality = models.PositiveSmallIntegerField(null=True, blank=True)
    pdq_path = models.CharField(
        max_length=16,
        choices=[(path, path) for path in PDQ_PATHS],
        blank=True,
        default="",
        help_text="which path made pdq",
    )
    problem = models.CharField(
        max_length=64, blank=True, default="", help_text="why there is no PDQ (hashing's kind)"
    )
    first_seen = models.DateTimeField()

    class Meta:
        verbose_name_plural = "media"
        constraints = (
            models.CheckConstraint(
                condition=models.Q(pdq_path__in=["", *PDQ_PATHS]), name="sightings_pdq_path_known"
            ),
        )

    def __str__(self) -> str:
        return f"sha256:{self.sha256}"


class Sighting(models.Model):
    """A media file seen at a URL (on a page, or linked directly) at a moment."""

    key = models.CharField(max_length=64, unique=True, help_text="idempotence key")
    media = models.ForeignKey(Media, on_delete=models.PROTECT, related_name="sightings")
    url = models.TextField(help_text="the media's own URL, normalised")
    url_key = models.CharField(max_length=64, db_index=True)
    host = models.ForeignKey(
        Host, on_delete=models.PROTECT, related_name="sightings", help_text="the media URL's"
    )
    page = models.ForeignKey(
        Page, on_delete=models.PROTECT, null=True, blank=True, related_name="sightings"
    )
    crawl_request = models.ForeignKey(
        "crawl.CrawlRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sightings",
    )
    run = models.CharField(max_length=200, blank=True, default="", help_text="crawl run")
    seen_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True, help_text="resolved address")
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = (
            models.Index(fields=("media", "seen_at")),
            models.Index(fields=("page", "seen_at")),
        )

    def __str__(self) -> str:
        return f"{self.media} at {self.url} ({self.seen_at:%Y-%m-%d %H:%M})"


class Match(models.Model):
    """A sighting's media matched a listed hash.

    The list's name, the signal type, the hash and the category are copied: the history
    survives the hash being edited or removed from its list (``known_hash`` becomes null).
    """

    sighting = models.ForeignKey(Sighting, on_delete=models.CASCADE, related_name="matches")
    known_hash = models.ForeignKey(
        "banks.KnownHash",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sighting_matches",
    )
    list_name = models.CharField(max_length=100)
    signal_type = models.CharField(max_length=16)
    hash = models.CharField(max_length=64)
    category = models.CharField(max_length=64, blank=True, default="")
    distance = models.PositiveSmallIntegerField(help_text="0 for exact digests")
    transform = models.CharField(max_length=16, blank=True, default="", help_text="dihedral")
    confirmed_reference = models.BooleanField(help_text="the verdict holds on the reference path")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("sighting", "list_name", "signal_type", "hash"),
                name="sightings_match_once_per_hash",
            ),
        )
        indexes = (models.Index(fields=("signal_type", "hash")),)

    def __str__(self) -> str:
        return f"{self.signal_type}:{self.hash} in {self.list_name} (distance {self.distance})"
