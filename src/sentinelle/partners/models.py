"""Partners, their tokens (stored hashed) and the record of their calls (never the payload)."""

from __future__ import annotations

from django.db import models


class Partner(models.Model):
    """An organisation that uses the API: a platform, another hotline, a hosting provider.

    ``provider`` links a hosting provider's partner to its attribution record: its tokens may
    answer the notices addressed to that provider, and only those. ``lists`` are the stored
    hash lists its tokens with ``lists:read`` may read.
    """

    name = models.CharField(max_length=100, unique=True)
    contact = models.CharField(max_length=300, blank=True, default="")
    active = models.BooleanField(default=True)
    created = models.DateTimeField()
    provider = models.ForeignKey(
        "attribution.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="partners"
    )
    lists = models.ManyToManyField("banks.StoredList", blank=True, related_name="partners")

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class PartnerToken(models.Model):
    """A bearer token: only its SHA-256 is kept; ``prefix`` identifies it in lists and logs."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created = models.DateTimeField()
    created_by = models.CharField(max_length=200, blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    rate_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text="calls a minute; null = SENTINELLE_API_RATE_PER_MINUTE, 0 = unlimited"
    )

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.partner_id})"


class ApiCall(models.Model):
    """One API call: who, which operation, how it ended, how big, how long. No payload."""

    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls")
    token = models.ForeignKey(PartnerToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls")
    method = models.CharField(max_length=8)
    route = models.CharField(max_length=100, help_text="the operation's name, never the path's values")
    status = models.PositiveSmallIntegerField()
    bytes_in = models.PositiveIntegerField(default=0)
    bytes_out = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    at = models.DateTimeField()

    class Meta:
        ordering = ("id",)
        indexes = (models.Index(fields=("partner", "at"), name="partners_calls_by_partner"),)

    def __str__(self) -> str:
        return f"{self.method} {self.route} {self.status}"


class CacheEntry(models.Model):
    """The table of Django's database cache (rate-limit counters when Redis is not set).

    Declared as a model so ``migrate`` creates it: no separate ``createcachetable`` step.
    Its columns are the ones Django's ``DatabaseCache`` reads and writes.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "sentinelle_cache"

    def __str__(self) -> str:
        return self.cache_key


class RateWindow(models.Model):
    """Calls one token made in one minute (rate limits on the database: one upsert a call).

    ``minute`` counts minutes since the epoch; rows of past minutes are deleted as new
    minutes begin (:mod:`sentinelle.partners.counters`).
    """

    token_id = models.BigIntegerField()
    minute = models.BigIntegerField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("token_id", "minute"), name="partners_rate_window_once"),)

    def __str__(self) -> str:
        return f"{self.token_id}@{self.minute}: {self.used}"


class TokenGeneration(models.Model):
    """One row counting changes to partners and tokens: API workers compare it on every call
    with the value they cached a token under, so a revocation is seen at once."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
