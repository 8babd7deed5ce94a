"""The worker side of the frontier: claim due requests, then finish or fail them.

:func:`claim` takes the most urgent due requests (priority, highest first, then oldest
first) and marks them running in one transaction. On PostgreSQL the rows are selected
``FOR UPDATE SKIP LOCKED``, so workers on many machines claim disjoint sets without
waiting for each other. SQLite has no row locks; its write transactions are serialised
(``BEGIN IMMEDIATE``, see settings), which gives the same guarantee on one machine.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from django.db import transaction
from django.utils import timezone

from sentinelle.audit.services import Actor
from sentinelle.crawl.changes import apply, locked, require
from sentinelle.crawl.exceptions import InvalidRequest
from sentinelle.crawl.models import CrawlRequest, Status

#: A request that failed this many times is given up (status ``failed``).
MAX_ATTEMPTS: Final = 5
#: Delay before the first retry; doubled for each further attempt, up to BACKOFF_CAP.
BACKOFF_BASE: Final = timedelta(minutes=1)
BACKOFF_CAP: Final = timedelta(hours=6)
#: Longest error text kept on the request (the rest is cut).
ERROR_LENGTH: Final = 2000


def claim(n: int, *, actor: Actor, now: datetime | None = None) -> list[CrawlRequest]:
    """Up to ``n`` due queued requests, now running and claimed by ``actor``."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InvalidRequest(f"claim at least one request, not {n!r}")
    moment = now or timezone.now()
    with transaction.atomic():
        due = list(
            CrawlRequest.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED, not_before__lte=moment)
            .order_by("-priority", "created", "id")[:n]
        )
        for request in due:
            apply(
                request,
                actor=actor,
                now=moment,
                status=Status.RUNNING,
                attempts=request.attempts + 1,
                claimed_by=actor.name,
                claimed_at=moment,
            )
    return due


def finish(request: CrawlRequest | int, *, actor: Actor) -> CrawlRequest:
    """Mark a running request done."""
    with transaction.atomic():
        row = locked(request)
        require(row, (Status.RUNNING,), "finish")
        return apply(row, actor=actor, now=timezone.now(), status=Status.DONE)


def fail(
    request: CrawlRequest | int,
    error: str,
    *,
    actor: Actor,
    retry: bool = True,
    max_attempts: int = MAX_ATTEMPTS,
    now: datetime | None = None,
) -> CrawlRequest:
    """Record a failed attempt: queued again after a back-off, or ``failed`` for good.

    The request is given up when ``retry`` is false or it has had ``max_attempts`` attempts.
    """
    moment = now or timezone.now()
    with transaction.atomic():
        row = locked(request)
        require(row, (Status.RUNNING,), "fail")
        text = str(error)[:ERROR_LENGTH]
        if not retry or row.attempts >= max_attempts:
            return apply(row, actor=actor, now=moment, status=Status.FAILED, last_error=text)
        return apply(
            row,
            actor=actor,
            now=moment,
            status=Status.QUEUED,
            last_error=text,
            not_before=moment + backoff(row.attempts),
        )


def release_stale(
    *, older_than: timedelta, actor: Actor, now: datetime | None = None
) -> list[CrawlRequest]:
    """Queue again the requests running for longer than ``older_than`` (their worker died)."""
    moment = now or timezone.now()
    with transaction.atomic():
        stale = list(
            CrawlRequest.objects.select_for_update(skip_locked=True).filter(
                status=Status.RUNNING, claimed_at__lt=moment - older_than
            )
        )
        for request in stale:
            apply(
                request,
                actor=actor,
                now=moment,
                details={"reason": "stale claim", "claimed_by": request.claimed_by},
                status=Status.QUEUED,
                not_before=moment,
            )
    return stale


def backoff(attempts: int) -> timedelta:
    """The delay before the next attempt after ``attempts`` failed ones (1 -> 1 minute)."""
    steps = max(attempts - 1, 0)
    if steps >= 32:
        return BACKOFF_CAP
    return min(BACKOFF_BASE * (1 << steps), BACKOFF_CAP)
