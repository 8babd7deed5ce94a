"""Changing a crawl request: lock it, change fields, write the audit event with before/after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.crawl.exceptions import InvalidTransition, UnknownCrawlRequest
from sentinelle.crawl.models import CrawlRequest, Status

TARGET_TYPE = "crawl_request"


def locked(request: CrawlRequest | int) -> CrawlRequest:
    """The request's current row, locked for the rest of the transaction."""
    request_id = request if isinstance(request, int) else request.pk
    try:
        row: CrawlRequest = CrawlRequest.objects.select_for_update().get(pk=request_id)
    except CrawlRequest.DoesNotExist:
        raise UnknownCrawlRequest(f"no crawl request has id {request_id}") from None
    return row


def require(request: CrawlRequest, allowed: tuple[str, ...], change: str) -> None:
    if request.status not in allowed:
        names = " or ".join(str(status) for status in allowed)
        raise InvalidTransition(
            f"cannot {change} crawl request {request.pk}: it is {request.status}, not {names}"
        )


def apply(
    request: CrawlRequest,
    *,
    actor: Actor,
    now: datetime,
    details: dict[str, Any] | None = None,
    **fields: Any,
) -> CrawlRequest:
    """Save ``fields`` on the (locked) ``request`` and audit what changed, before and after."""
    changed = {name: value for name, value in fields.items() if getattr(request, name) != value}
    if not changed:
        return request
    before = {name: as_json(getattr(request, name)) for name in changed}
    for name, value in changed.items():
        setattr(request, name, value)
    request.updated = now
    request.save(update_fields=[*changed, "updated"])
    record(
        AuditAction.CRAWL_UPDATE,
        actor=actor,
        target_type=TARGET_TYPE,
        target_id=request.pk,
        before=before,
        after={name: as_json(value) for name, value in changed.items()},
        details=details,
    )
    return request


def as_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value) if isinstance(value, Status) else value


def requester(actor: Actor) -> str:
    return f"{actor.kind}:{actor.name}"
