"""Do-not-act entries (hash, URL or host), with the reason an analyst gave."""

from __future__ import annotations

from django.db import models


class DoNotAct(models.Model):
    class Kind(models.TextChoices):
        HASH = "hash"
        URL = "url"
        HOST = "host"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    signal_type = models.CharField(max_length=16, blank=True, default="", help_text="for hashes")
    value = models.CharField(max_length=2048)
    reason = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("kind", "signal_type", "value"), name="donotact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
