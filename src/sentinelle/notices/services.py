"""What callers and operators ask of notices: add items, send now, look one up, describe it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor
from sentinelle.notices import timeline
from sentinelle.notices.exceptions import InvalidTransition, UnknownNotice
from sentinelle.notices.intake import Intake, add_items
from sentinelle.notices.models import ChannelState, Notice, Status
from sentinelle.notices.summary import describe

__all__ = ["Intake", "add_items", "describe", "get_notice", "request_send"]


def request_send(ref: str, *, actor: Actor, now: datetime | None = None) -> Notice:
    """Send a notice now: a draft before its window ends, or a failed one again."""
    moment = now or clock.current().now()
    with transaction.atomic():
        notice = timeline.locked(get_notice(ref))
        if notice.status not in (Status.DRAFT, Status.QUEUED, Status.RETRYING, Status.FAILED):
            raise InvalidTransition(f"notice {ref} is {notice.status}: only a draft, queued, retrying or failed notice can be sent")
        states: dict[str, Any] = {
            f"{channel}_state": ChannelState.PENDING
            for channel in ("email", "webhook")
            if getattr(notice, f"{channel}_state") == ChannelState.FAILED
        }
        return timeline.change(
            notice, AuditAction.NOTICE_QUEUE, actor=actor, event="queued", now=moment,
            status=Status.QUEUED, due_at=moment, attempts=0, last_error="", **states,
        )


def get_notice(ref: str) -> Notice:
    notice: Notice | None = Notice.objects.filter(reference=ref).first()
    if notice is None:
        raise UnknownNotice(f"no notice has reference {ref!r}")
    return notice
