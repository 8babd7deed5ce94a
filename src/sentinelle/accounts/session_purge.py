"""Expired sessions are deleted: a session can hold a tipline receipt code until it is shown,
or a staff login; neither should outlive the session's expiry in the database.

``sentinelle worker`` runs :class:`ExpiredSessions` (what Django's ``clearsessions`` does) at
most once every :data:`EVERY` of its clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from django.contrib.sessions.models import Session

#: How often the worker looks for expired sessions.
EVERY: Final = timedelta(minutes=10)


def purge_expired_sessions(now: datetime) -> int:
    """Delete every session whose expiry is before ``now``; how many were deleted."""
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    return int(deleted)


class ExpiredSessions:
    """Due work for the worker's scheduler: one indexed DELETE, run in the tick."""

    name = "expired-sessions"

    def __init__(self) -> None:
        self._last: datetime | None = None

    def enqueue_due(self, now: datetime, limit: int) -> int:
        if self._last is not None and now - self._last < EVERY:
            return 0
        self._last = now
        return purge_expired_sessions(now)
