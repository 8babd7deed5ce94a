"""The one place the kinds of due work are assembled."""

from __future__ import annotations

from sentinelle.accounts.session_purge import ExpiredSessions
from sentinelle.banks.serving_schedule import ServingIndexRebuild
from sentinelle.notices.scheduling import DueMatches, DueNotices, DueRechecks, RetractionSweep
from sentinelle.tipline.retention import ContactPurge
from sentinelle.worker.scheduler import DueWork


def due_work() -> list[DueWork]:
    """In order: turn matches into items, send what is due, retract, recheck, erase old
    tipline contact details, delete expired sessions, rebuild the API's serving index."""
    return [DueMatches(), DueNotices(), RetractionSweep(), DueRechecks(), ContactPurge(), ExpiredSessions(),
            ServingIndexRebuild()]
