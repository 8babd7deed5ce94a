"""Withdrawing notice items whose grounds are gone, and telling the recipient.

An item is retracted when no list holds any of the hashes it matched any more, or when the
do-not-act list covers one of its hashes, its URL or its host. If its notice has not begun
to go out, the item is simply left out (a notice left with no item is cancelled). If it
has, the recipient gets a retraction: a message of its own (same recipient, same language,
In-Reply-To the notice's Message-ID) listing the withdrawn items, sent through the outbox
like any notice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.banks.models import KnownHash
from sentinelle.notices import configuration, timeline
from sentinelle.notices.models import (
    LIVE,
    ChannelState,
    ItemStatus,
    Kind,
    Notice,
    NoticeEvent,
    NoticeItem,
    Status,
)
from sentinelle.notices.windows import new_message_id, placeholder, reference

OFF_EVERY_LIST = "off-every-list"
DO_NOT_ACT = "do-not-act"


def still_listed(item: NoticeItem) -> bool:
    """True while a list holds one of the hashes the item matched."""
    return any(
        KnownHash.objects.filter(signal_type=m.signal_type, hash=m.hash).exists() for m in item.matches.all()
    )


def retract(items: Iterable[NoticeItem], reason: str, *, actor: Actor, now: datetime | None = None) -> list[Notice]:
    """Retract the live (open or disputed) ``items``; the retraction notices made (sent by the outbox)."""
    moment = now or clock.current().now()
    by_notice: dict[int, list[int]] = defaultdict(list)
    for item in items:
        by_notice[item.notice_id].append(item.pk)
    made = []
    with transaction.atomic():
        for notice_id, item_ids in sorted(by_notice.items()):
            notice = timeline.locked(notice_id)
            chosen = list(NoticeItem.objects.filter(pk__in=item_ids, status__in=LIVE))
            if not chosen or notice.kind != Kind.NOTICE or notice.status == Status.CANCELLED:
                continue
            NoticeItem.objects.filter(pk__in=[i.pk for i in chosen]).update(
                status=ItemStatus.RETRACTED, retracted_at=moment, retraction_reason=reason
            )
            details = {"reason": reason, "items": [str(i.report_id) for i in chosen]}
            timeline.change(notice, AuditAction.NOTICE_RETRACT, actor=actor, event="retracted", now=moment,
                            details=details)
            if notice.frozen_at is not None:
                made.append(_retraction(notice, chosen, actor, moment))
            elif not notice.items.filter(status__in=LIVE).exists():
                timeline.change(notice, AuditAction.NOTICE_CANCEL, actor=actor, event="cancelled", now=moment,
                                details={"reason": "every item retracted"}, status=Status.CANCELLED)
    return made


def _retraction(original: Notice, items: list[NoticeItem], actor: Actor, moment: datetime) -> Notice:
    notice = Notice.objects.create(
        kind=Kind.RETRACTION, retracts=original, message_id=placeholder(),
        **{field: getattr(original, field) for field in _COPIED},
        email_state=ChannelState.PENDING if original.recipient_email else ChannelState.NONE,
        webhook_state=ChannelState.PENDING if original.webhook_url else ChannelState.NONE,
        status=Status.QUEUED, due_at=moment, created=moment, updated=moment,
    )
    notice.reference = reference(notice.pk, moment)
    notice.message_id = new_message_id(notice.reference, configuration.sender().domain)
    notice.save(update_fields=["reference", "message_id"])
    NoticeItem.objects.filter(pk__in=[i.pk for i in items]).update(retraction=notice)
    NoticeEvent.objects.create(notice=notice, at=moment, event="created", actor=f"{actor.kind}:{actor.name}",
                               details={"retracts": original.reference, "items": len(items)})
    record(AuditAction.NOTICE_CREATE, actor=actor, target_type=timeline.TARGET_TYPE, target_id=notice.reference,
           after={"kind": Kind.RETRACTION, "retracts": original.reference, "items": len(items)})
    return notice


_COPIED = (
    "recipient_key", "recipient_name", "recipient_email", "recipient_language", "recipient_role",
    "recipient_provider", "webhook_url", "webhook_secret_ref", "window_start", "window_end",
)
