"""Reminders and escalations: messages that follow up a sent notice about some of its items.

A recheck that finds an item still there puts it on a follow-up of its notice: a reminder to
the same recipient, or an escalation to another one (the upstream network, a hotline). The
follow-ups of one notice to one recipient made by one pass of rechecks gather into one
message: a new follow-up waits :func:`~.configuration.follow_up_gather` for the other items
(a draft whose window is that short), then goes out through the outbox like any notice, in
its recipient's language, under a Message-ID of its own. A reminder is ``In-Reply-To`` the
notice; an escalation names it in its text (its recipient never saw it).
"""

from __future__ import annotations

from datetime import datetime

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.notices import configuration, timeline
from sentinelle.notices.models import (
    ChannelState,
    FollowUp,
    Notice,
    NoticeEvent,
    NoticeItem,
    Status,
)
from sentinelle.notices.recipients import NoticeRecipient
from sentinelle.notices.windows import new_message_id, placeholder, reference


def recipient_of(notice: Notice) -> NoticeRecipient:
    """The recipient a notice was addressed to (its snapshot)."""
    return NoticeRecipient(
        key=notice.recipient_key, name=notice.recipient_name, email=notice.recipient_email,
        language=notice.recipient_language, role=notice.recipient_role, provider=notice.recipient_provider,
        webhook_url=notice.webhook_url, webhook_secret_ref=notice.webhook_secret_ref,
    )


def follow_up(
    original: Notice, kind: str, who: NoticeRecipient, item: NoticeItem, *, step: str, actor: Actor,
    now: datetime,
) -> Notice:
    """Put ``item`` on the ``kind`` follow-up of ``original`` to ``who`` that is still gathering
    items, made when there is none. Call inside the caller's transaction."""
    target = who.validated()
    notice = (
        Notice.objects.select_for_update()
        .filter(kind=kind, follows=original, recipient_key=target.key, status=Status.DRAFT, frozen_at=None)
        .order_by("-id").first()
    )
    if notice is None:
        notice = _create(original, kind, target, step, actor, now)
    FollowUp.objects.get_or_create(notice=notice, item=item)
    return notice


def _create(original: Notice, kind: str, who: NoticeRecipient, step: str, actor: Actor, now: datetime) -> Notice:
    end = now + configuration.follow_up_gather()
    notice = Notice.objects.create(
        **who.snapshot(), kind=kind, follows=original, window_start=now, window_end=end, status=Status.DRAFT,
        email_state=ChannelState.PENDING if who.email else ChannelState.NONE,
        webhook_state=ChannelState.PENDING if who.webhook_url else ChannelState.NONE,
        due_at=end, message_id=placeholder(), created=now, updated=now,
    )
    notice.reference = reference(notice.pk, now)
    notice.message_id = new_message_id(notice.reference, configuration.sender().domain)
    notice.save(update_fields=["reference", "message_id"])
    details = {"follows": original.reference, "step": step}
    NoticeEvent.objects.create(notice=notice, at=now, event="created", actor=f"{actor.kind}:{actor.name}",
                               details=details)
    record(AuditAction.NOTICE_CREATE, actor=actor, target_type=timeline.TARGET_TYPE, target_id=notice.reference,
           after={"kind": str(kind), **details, "recipient": who.key})
    return notice
