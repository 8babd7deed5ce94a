"""Sending a stored notice: claim it, deliver on each channel still pending, record the outcome.

At-least-once: the claim (status ``sending`` until ``claimed_until``) is committed before
anything is sent, and each attempt row before its channel is tried. A worker killed mid-send
leaves the claim to expire; the scheduler then enqueues the notice again, the next claim
marks the unfinished attempt ``interrupted``, and the same content goes out under the same
Message-ID (a recipient can drop the duplicate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor
from sentinelle.notices import configuration, timeline
from sentinelle.notices.compose import compose
from sentinelle.notices.compose_follow_up import compose_follow_up
from sentinelle.notices.delivery.assembly import channels as assembled_channels
from sentinelle.notices.delivery.base import Channels, Envelope
from sentinelle.notices.models import (
    FOLLOW_UPS,
    LIVE,
    ChannelState,
    DeliveryAttempt,
    ItemStatus,
    Kind,
    Notice,
    NoticeItem,
    Status,
)
from sentinelle.notices.settle import settle

ERROR_LENGTH = 2000


@dataclass(frozen=True)
class Claim:
    notice: Notice
    number: int  #: the attempt number of this claim


def deliver(notice_id: int, *, worker: str, channels: Channels | None = None) -> str:
    """Send notice ``notice_id`` if it is due; the notice's resulting status (or why not)."""
    actor = Actor.system(worker)
    chosen = channels or assembled_channels()
    claim = _claim(notice_id, actor)
    if isinstance(claim, str):
        return claim
    notice = claim.notice
    envelope = Envelope(
        reference=str(notice.reference), message_id=notice.message_id, sender=configuration.sender(),
        email=notice.recipient_email, webhook_url=notice.webhook_url,
        webhook_secret_ref=notice.webhook_secret_ref, content=notice.content,
    )
    results = {}
    for name, channel in (("email", chosen.email), ("webhook", chosen.webhook)):
        if getattr(notice, f"{name}_state") != ChannelState.PENDING:
            continue
        attempt = DeliveryAttempt.objects.create(
            notice=notice, number=claim.number, channel=name, worker=worker, started=clock.current().now()
        )
        result = channel.deliver(envelope)
        attempt.outcome, attempt.detail = str(result.outcome), result.detail[:ERROR_LENGTH]
        attempt.finished = clock.current().now()
        attempt.save(update_fields=["outcome", "detail", "finished"])
        results[name] = result
    return settle(notice.pk, results, actor=actor, worker=worker)


def _claim(notice_id: int, actor: Actor) -> Claim | str:
    now = clock.current().now()
    with transaction.atomic():
        notice = timeline.locked(notice_id)
        why_not = _not_due(notice, now)
        if why_not:
            return why_not
        if notice.status == Status.SENDING:  # the claim expired: its worker died mid-send
            DeliveryAttempt.objects.filter(notice=notice, outcome="").update(
                outcome=DeliveryAttempt.Outcome.INTERRUPTED, finished=now,
                detail=f"claim by {notice.claimed_by} expired before an outcome was recorded",
            )
        fields = {}
        if notice.frozen_at is None:
            items = _items(notice)
            if not items:
                timeline.change(notice, AuditAction.NOTICE_CANCEL, actor=actor, event="cancelled", now=now,
                                details={"reason": "no items left"}, status=Status.CANCELLED)
                return "cancelled"
            make = compose_follow_up if notice.kind in FOLLOW_UPS else compose
            fields = {"frozen_at": now, "content": make(notice, items, configuration.sender())}
        until = now + configuration.claim()
        number = (DeliveryAttempt.objects.filter(notice=notice).aggregate(n=Max("number"))["n"] or 0) + 1
        timeline.change(
            notice, AuditAction.NOTICE_ATTEMPT, actor=actor, event="attempt", now=now,
            details={"attempt": number, "claimed_until": until.isoformat()},
            status=Status.SENDING, claimed_by=actor.name, claimed_until=until, due_at=until,
            attempts=notice.attempts + 1, **fields,
        )
    return Claim(notice, number)


def _not_due(notice: Notice, now: datetime) -> str:
    if notice.status not in (Status.DRAFT, Status.QUEUED, Status.SENDING, Status.RETRYING):
        return f"not sent: already {notice.status}"
    if notice.status == Status.SENDING and notice.claimed_until and notice.claimed_until > now:
        return f"not sent: {notice.claimed_by} is sending it"
    if notice.status == Status.DRAFT and notice.window_end > now:
        return "not sent: its window is still open"
    if notice.kind == Kind.RETRACTION and notice.retracts and notice.retracts.status in (
        Status.DRAFT, Status.QUEUED, Status.SENDING, Status.RETRYING
    ):
        Notice.objects.filter(pk=notice.pk).update(due_at=now + configuration.retry_policy().base)
        return "not sent: the notice it retracts has not gone out yet"
    return ""


def _items(notice: Notice) -> list[NoticeItem]:
    if notice.kind == Kind.RETRACTION:
        return list(notice.retracted_items.order_by("id"))
    if notice.kind in FOLLOW_UPS:  # only the items still online when it goes out
        return list(NoticeItem.objects.filter(follow_ups__notice=notice, status__in=LIVE).order_by("id"))
    return list(notice.items.exclude(status=ItemStatus.RETRACTED).order_by("id"))
