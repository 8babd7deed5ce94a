"""Taking crawl requests in: de-duplicated per URL, and cancelling them.

De-duplication: at most one open (queued or running) request exists per normalised URL.
The database enforces it (a unique constraint on ``url_key`` limited to open rows);
:func:`request_crawl` returns the open request instead of adding a second one, making it
as urgent as the new one (higher priority, earlier due time). Two writers racing on the same URL both end
up with the one row: the loser's insert fails on the constraint and it reads the winner's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils import timezone

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.crawl.changes import TARGET_TYPE, apply, as_json, locked, requester, require
from sentinelle.crawl.exceptions import CrawlConflict, InvalidRequest
from sentinelle.crawl.models import OPEN_STATUSES, CrawlRequest, Source, Status
from sentinelle.crawl.normalize import normalize_url

#: Priorities are stored in a 32-bit integer column.
PRIORITY_RANGE: Final = range(-(2**31), 2**31)
_ATTEMPTS: Final = 3


def request_crawl(
    url: str,
    *,
    source: Source | str,
    priority: int = 0,
    actor: Actor,
    not_before: datetime | None = None,
) -> tuple[CrawlRequest, bool]:
    """The open request for ``url``, created if there is none: ``(request, created)``.

    An open request is made as urgent as the new one (an audited update): its priority is
    raised to ``priority`` and, while it is queued, its due time brought forward to
    ``not_before`` (default: now). Otherwise it is returned unchanged. ``not_before`` delays
    a new request (rechecks).
    """
    normalized = normalize_url(url)
    kind = _source(source)
    _check_priority(priority)
    if not_before is not None and timezone.is_naive(not_before):
        raise InvalidRequest("not_before must be an aware datetime")
    now = timezone.now()
    with transaction.atomic():
        for _ in range(_ATTEMPTS):
            existing = (
                CrawlRequest.objects.select_for_update()
                .filter(url_key=normalized.key, status__in=OPEN_STATUSES)
                .first()
            )
            if existing is not None:
                return _more_urgent(existing, priority, not_before or now, actor, now), False
            try:
                with transaction.atomic():
                    created = CrawlRequest.objects.create(
                        url=normalized.url,
                        url_key=normalized.key,
                        source=kind,
                        priority=priority,
                        requested_by=requester(actor),
                        created=now,
                        updated=now,
                        not_before=not_before or now,
                    )
            except IntegrityError:
                continue  # another writer opened a request for this URL first: read it
            record(
                AuditAction.CRAWL_REQUEST,
                actor=actor,
                target_type=TARGET_TYPE,
                target_id=created.pk,
                after={
                    "url": created.url,
                    "source": str(kind),
                    "priority": priority,
                    "status": str(Status.QUEUED),
                    "not_before": as_json(created.not_before),
                },
            )
            return created, True
    raise CrawlConflict(f"could not open a crawl request for {normalized.url}; try again")


def _more_urgent(
    request: CrawlRequest, priority: int, due: datetime, actor: Actor, now: datetime
) -> CrawlRequest:
    """Raise the open ``request`` to ``priority`` and, while queued, bring it forward to
    ``due``: a report arriving now is not left waiting behind tomorrow's recheck."""
    changes: dict[str, Any] = {}
    if priority > request.priority:
        changes["priority"] = priority
    if request.status == Status.QUEUED and due < request.not_before:
        changes["not_before"] = due
    return apply(request, actor=actor, now=now, **changes) if changes else request


def cancel(request: CrawlRequest | int, *, actor: Actor, reason: str = "") -> CrawlRequest:
    """Cancel a queued or running request (a running worker's result is then refused)."""
    with transaction.atomic():
        row = locked(request)
        require(row, OPEN_STATUSES, "cancel")
        details = {"reason": reason} if reason else None
        return apply(row, actor=actor, now=timezone.now(), details=details, status=Status.CANCELLED)


def _source(value: Source | str) -> Source:
    try:
        return Source(value)
    except ValueError:
        known = ", ".join(Source.values)
        raise InvalidRequest(f"unknown request source {value!r}; one of {known}") from None


def _check_priority(priority: int) -> None:
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise InvalidRequest(f"priority is a whole number, got {priority!r}")
    if priority not in PRIORITY_RANGE:
        raise InvalidRequest(f"priority {priority} is outside {PRIORITY_RANGE}")
