"""Recording a recipient's answer to a notice, and what it sets in motion.

- ``removed``: each named item still open (or disputed) gets a recheck now; the recheck, not
  the answer, decides whether the item is gone.
- ``dispute``: each named open item becomes ``disputed``, and the answer waits for an analyst.
- ``question``: the answer waits for an analyst.

Each answer writes a notice timeline row and an audit event (``notice:response-*``) in the
transaction that stores it. The same ``submission_key`` again returns the stored answer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from django.db import transaction
from django.db.models import QuerySet

from sentinelle import clock
from sentinelle.audit.actions import ActorKind, AuditAction
from sentinelle.audit.services import Actor
from sentinelle.notices import timeline
from sentinelle.notices.models import LIVE, ItemStatus, Kind, Notice, NoticeItem, Status
from sentinelle.notices.rechecks import request_recheck
from sentinelle.notices.services import get_notice
from sentinelle.responses.clients import client_hash
from sentinelle.responses.exceptions import InvalidResponse, ResponseNotAllowed, TooManyResponses
from sentinelle.responses.models import NoticeResponse, ResponseKind
from sentinelle.responses.validation import ResponseInput

MAX_PER_DAY: Final = 50  #: answers one notice takes in 24 hours
ACTIONS: Final = {
    ResponseKind.REMOVED: AuditAction.NOTICE_RESPONSE_REMOVED,
    ResponseKind.DISPUTE: AuditAction.NOTICE_RESPONSE_DISPUTE,
    ResponseKind.QUESTION: AuditAction.NOTICE_RESPONSE_QUESTION,
}


@dataclass(frozen=True)
class Recorded:
    response: NoticeResponse
    created: bool  #: False when this submission key had already been recorded


def record_response(reference: str, given: ResponseInput, *, now: datetime | None = None) -> Recorded:
    """Store ``given`` as an answer to notice ``reference`` and apply it (see the module)."""
    answer = given.checked()
    moment = now or clock.current().now()
    with transaction.atomic():
        notice = timeline.locked(get_notice(reference))
        earlier = NoticeResponse.objects.filter(notice=notice, submission_key=answer.submission_key).first()
        if earlier is not None:
            return Recorded(earlier, False)
        _check_answerable(notice, moment)
        item, targets = _targets(notice, answer.item)
        response = NoticeResponse.objects.create(
            notice=notice, item=item, kind=answer.kind, text=answer.text, received_at=moment,
            channel=answer.channel, language=answer.language or notice.recipient_language,
            submission_key=answer.submission_key, client_hash=client_hash(answer.client_address, moment),
            needs_analyst=answer.kind != ResponseKind.REMOVED,
        )
        actor = Actor(ActorKind.RECIPIENT, notice.recipient_key)
        response.effects = _apply(response, targets, actor)
        response.save(update_fields=["effects"])
        timeline.change(notice, ACTIONS[ResponseKind(answer.kind)], actor=actor, event=f"response-{answer.kind}",
                        now=moment, details=_details(response))
    return Recorded(response, True)


def _check_answerable(notice: Notice, moment: datetime) -> None:
    if notice.kind != Kind.NOTICE:
        raise ResponseNotAllowed(f"{notice.reference} is a retraction: there is nothing to answer")
    if notice.status == Status.CANCELLED:
        raise ResponseNotAllowed(f"{notice.reference} was withdrawn before it was sent", "cancelled")
    if notice.frozen_at is None:
        raise ResponseNotAllowed(f"{notice.reference} has not been sent yet", "not-sent")
    recent = NoticeResponse.objects.filter(notice=notice, received_at__gt=moment - timedelta(days=1)).count()
    if recent >= MAX_PER_DAY:
        raise TooManyResponses(f"{notice.reference} took {MAX_PER_DAY} answers in the last 24 hours; try later")


def _targets(notice: Notice, report_id: str | None) -> tuple[NoticeItem | None, list[NoticeItem]]:
    """The item named (None for the whole notice) and the items the answer is about."""
    if report_id is None:
        items = list(notice.items.exclude(status=ItemStatus.RETRACTED).order_by("id"))
        if not items:
            raise ResponseNotAllowed(f"every item of {notice.reference} was retracted: no action is needed", "retracted")
        return None, items
    item = notice.items.filter(report_id=report_id).first()
    if item is None:
        raise InvalidResponse(f"{notice.reference} has no item {report_id}", "item")
    if item.status == ItemStatus.RETRACTED:
        raise ResponseNotAllowed(f"item {report_id} was retracted: no action is needed", "retracted")
    return item, [item]


def _apply(response: NoticeResponse, targets: list[NoticeItem], actor: Actor) -> dict[str, Any]:
    if response.kind == ResponseKind.REMOVED:
        live = [str(i.report_id) for i in targets if i.status in LIVE]
        if response.notice.sent_at is None:  # still going out: its rechecks start once it is sent
            return {"rechecks": [], "awaiting_send": live}
        for item in targets:
            if item.status in LIVE:
                request_recheck(item.pk, reason=f"the recipient said removed (response {response.pk})",
                                actor=actor, now=response.received_at)
        return {"rechecks": live}
    if response.kind == ResponseKind.DISPUTE:
        disputed = [i for i in targets if i.status == ItemStatus.OPEN]
        NoticeItem.objects.filter(pk__in=[i.pk for i in disputed]).update(status=ItemStatus.DISPUTED)
        return {"disputed": [str(i.report_id) for i in disputed]}
    return {}


def _details(response: NoticeResponse) -> dict[str, Any]:
    return {
        "response": response.pk, "kind": response.kind, "channel": response.channel,
        "item": str(response.item.report_id) if response.item else None,
        "text_sha256": hashlib.sha256(response.text.encode()).hexdigest(), "text_length": len(response.text),
        "analyst_needed": response.needs_analyst, **response.effects,
    }


def responses_of(notice: Notice) -> QuerySet[NoticeResponse]:
    return NoticeResponse.objects.filter(notice=notice).select_related("item").order_by("-received_at", "-id")


def awaiting_analyst() -> QuerySet[NoticeResponse]:
    """Disputes and questions no analyst has handled yet, oldest first (the console's queue)."""
    return NoticeResponse.objects.filter(needs_analyst=True, handled_at__isnull=True).order_by("received_at", "id")
