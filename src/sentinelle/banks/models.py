"""Stored hash lists, their hashes, and a change log any consumer can follow with a cursor."""

from __future__ import annotations

from django.db import models


class StoredList(models.Model):
    """A hash list: where it came from, what it holds, whether it is trusted and in use."""

    name = models.CharField(max_length=100, unique=True)
    source = models.CharField(max_length=500, blank=True, default="")
    category = models.CharField(max_length=64, blank=True, default="")
    verified = models.BooleanField(default=False, help_text="analysts confirmed its hashes")
    enabled = models.BooleanField(default=True)
    threshold = models.PositiveSmallIntegerField(null=True, blank=True, help_text="PDQ; null = 31")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def settings(self) -> dict[str, object]:
        return {
            "name": self.name,
            "source": self.source,
            "category": self.category or None,
            "verified": self.verified,
            "enabled": self.enabled,
            "threshold": self.threshold,
        }


class KnownHash(models.Model):
    """One listed hash. Removing it deletes the row; the change log keeps the history."""

    list = models.ForeignKey(StoredList, on_delete=models.CASCADE, related_name="hashes")
    signal_type = models.CharField(max_length=16)
    hash = models.CharField(max_length=64)
    category = models.CharField(max_length=64, blank=True, default="")
    entry_id = models.CharField(max_length=256, blank=True, default="")
    note = models.TextField(blank=True, default="")
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=("signal_type", "hash")),
            models.Index(fields=("list", "signal_type", "hash")),
        ]

    def __str__(self) -> str:
        return f"{self.signal_type}:{self.hash}"


class ListChange(models.Model):
    """An addition, removal or edit; ``id`` is the cursor consumers resume from."""

    class Op(models.TextChoices):
        ADD = "add"
        REMOVE = "remove"
        EDIT = "edit"

    list = models.ForeignKey(StoredList, on_delete=models.CASCADE, related_name="changes")
    op = models.CharField(max_length=8, choices=Op.choices)
    signal_type = models.CharField(max_length=16)
    hash = models.CharField(max_length=64)
    category = models.CharField(max_length=64, blank=True, default="")
    entry_id = models.CharField(max_length=256, blank=True, default="")
    note = models.TextField(blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)
        indexes = [models.Index(fields=("list", "id"))]
