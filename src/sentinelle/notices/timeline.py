"""Changing a notice: save the fields, add a timeline row, write the audit event, together."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.db import transaction

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.notices.exceptions import UnknownNotice
from sentinelle.notices.models import Notice, NoticeEvent

TARGET_TYPE = "notice"


def locked(notice: Notice | int) -> Notice:
    """The notice's current row, locked for the rest of the transaction."""
    notice_id = notice if isinstance(notice, int) else notice.pk
    row: Notice | None = Notice.objects.select_for_update().filter(pk=notice_id).first()
    if row is None:
        raise UnknownNotice(f"no notice has id {notice_id}")
    return row


def change(
    notice: Notice,
    action: AuditAction,
    *,
    actor: Actor,
    event: str,
    details: dict[str, Any] | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> Notice:
    """Set ``fields`` on the (locked) notice; record ``event`` and the audit ``action``."""
    moment = now or clock.current().now()
    with transaction.atomic():
        before = {name: _plain(getattr(notice, name)) for name in fields}
        for name, value in fields.items():
            setattr(notice, name, value)
        notice.updated = moment
        notice.save(update_fields=[*fields, "updated"] if fields else ["updated"])
        NoticeEvent.objects.create(
            notice=notice, at=moment, event=event, actor=f"{actor.kind}:{actor.name}", details=details
        )
        record(
            action,
            actor=actor,
            target_type=TARGET_TYPE,
            target_id=notice.reference or notice.pk,
            before=_audited(before) or None,
            after=_audited({name: _plain(value) for name, value in fields.items()}) or None,
            details=details,
        )
    return notice


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` for the audit log: a notice's content is logged as its SHA-256."""
    if values.get("content") is None:
        return values
    digest = hashlib.sha256(json.dumps(values["content"], sort_keys=True).encode()).hexdigest()
    return {**values, "content": f"sha256:{digest}"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict | list | int | float | bool) or value is None:
        return value
    return str(value)
