"""Lockout after repeated failures: per account and per client, each with its own limit.

``SENTINELLE_LOGIN_MAX_FAILURES`` consecutive failures lock an account for
``SENTINELLE_LOGIN_LOCK_MINUTES``; ``SENTINELLE_LOGIN_CLIENT_MAX_FAILURES`` failures from one
client (on any accounts) lock that client as long. A locked login is refused before the
password is even checked, so guessing learns nothing while it lasts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from sentinelle.accounts.models import LoginThrottle
from sentinelle.config import setting


@dataclass(frozen=True)
class Limits:
    account: int
    client: int
    lock: timedelta

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            account=int(setting("SENTINELLE_LOGIN_MAX_FAILURES") or 5),
            client=int(setting("SENTINELLE_LOGIN_CLIENT_MAX_FAILURES") or 20),
            lock=timedelta(minutes=float(setting("SENTINELLE_LOGIN_LOCK_MINUTES") or 15)),
        )


def locked(keys: list[str], now: datetime) -> bool:
    """Whether any of these keys (``user:ID``, ``client:HMAC``) is locked now."""
    keys = [k for k in keys if k]
    return LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now).exists()


def fail(key: str, limit: int, lock: timedelta, now: datetime) -> bool:
    """Count a failure for ``key``; True when this failure locks it."""
    if not key:
        return False
    with transaction.atomic():
        stale = Q(last_failure__lt=now - lock) & (Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        LoginThrottle.objects.filter(stale).delete()
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key, defaults={"last_failure": now})
        if row.locked_until is not None and row.locked_until <= now:
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.last_failure = now
        newly = row.failures >= limit and row.locked_until is None
        if newly:
            row.locked_until = now + lock
        row.save()
    return newly


def clear(key: str) -> None:
    """Forget an account's failures (a full login, or an administrator's password reset)."""
    LoginThrottle.objects.filter(key=key).delete()
