"""Audit events and the chain head. Rows are never updated or deleted by sentinelle."""

from __future__ import annotations

from typing import Any

from django.db import models

from sentinelle.audit.exceptions import AuditImmutable


class AuditEvent(models.Model):
    """One change: who, what, when, to what, before/after; linked to the previous by hash."""

    seq = models.BigIntegerField(unique=True, help_text="1, 2, 3... without gaps")
    created = models.DateTimeField()
    actor_kind = models.CharField(max_length=16)
    actor = models.CharField(max_length=200)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True, default="")
    target_id = models.CharField(max_length=200, blank=True, default="")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    details = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ("seq",)
        indexes = [models.Index(fields=("target_type", "target_id"))]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_kind}:{self.actor}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutable("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutable("audit events are never deleted")


class AuditHead(models.Model):
    """The single row holding the chain's last sequence number and hash (a write lock)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    anchored_seq = models.BigIntegerField(default=0)
