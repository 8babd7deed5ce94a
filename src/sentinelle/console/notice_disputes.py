"""An analyst's answer to a recipient's dispute or question (``notice:send``).

A recipient disputes an item (or the whole notice) or asks a question on the signed response
page or through the API (:mod:`sentinelle.responses`); the answer waits for an analyst. Here
the analyst decides, with a note saying why:

* ``uphold`` (a dispute): the request stands. The items the dispute made ``disputed`` are
  ``open`` again (unless another dispute still waiting names them), so the reminder ladder
  resumes: the next recheck that finds the file still there takes the next rung, and the
  reminder tells the recipient the request stands.
* ``accept`` (a dispute): the hotline agrees. The disputed items are retracted
  (:func:`sentinelle.notices.retraction.retract`, reason ``dispute-accepted``): the recipient
  gets a retraction saying no action is needed.
* ``answered`` (a question): the analyst replied (by e-mail, quoting the notice's reference);
  nothing changes on the items.

In one transaction: the response leaves the queue (``handled_at``, ``handled_by``, the
decision kept in its ``effects``), the notice gets a timeline row and an audit event
(``notice:dispute-upheld``, ``notice:dispute-accepted``, ``notice:question-answered``) with
the note. Retractions write their own events (``notice:retract``, ``notice:create``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from django.db import transaction

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor
from sentinelle.console.exceptions import AlreadyAnswered, NoteMissing, UnknownDecision
from sentinelle.notices import timeline
from sentinelle.notices.models import ItemStatus, NoticeItem
from sentinelle.notices.retraction import retract
from sentinelle.responses.models import NoticeResponse, ResponseKind

MAX_NOTE: Final = 2000
ACCEPTED_REASON: Final = "dispute-accepted"
DECISIONS: Final = {
    ResponseKind.DISPUTE: {"uphold": AuditAction.NOTICE_DISPUTE_UPHELD, "accept": AuditAction.NOTICE_DISPUTE_ACCEPTED},
    ResponseKind.QUESTION: {"answered": AuditAction.NOTICE_QUESTION_ANSWERED},
}
EVENTS: Final = {"uphold": "dispute-upheld", "accept": "dispute-accepted", "answered": "question-answered"}


def answer(response_id: int, decision: str, note: str, *, actor: Actor, now: datetime | None = None) -> NoticeResponse:
    """Settle the waiting response ``response_id`` with ``decision`` (see the module)."""
    note = note.strip()
    if not note:
        raise NoteMissing("say why, in a note")
    if len(note) > MAX_NOTE:
        raise NoteMissing(f"the note is longer than {MAX_NOTE} characters")
    moment = now or clock.current().now()
    with transaction.atomic():
        response = NoticeResponse.objects.select_for_update().filter(pk=response_id).first()
        if response is None or not response.needs_analyst or response.handled_at is not None:
            raise AlreadyAnswered(f"response {response_id} is not waiting for an analyst")
        action = DECISIONS.get(ResponseKind(response.kind), {}).get(decision)
        if action is None:
            raise UnknownDecision(f"{decision[:20]!r} does not answer a {response.kind}")
        notice = timeline.locked(response.notice_id)
        items = _disputed(response) if response.kind == ResponseKind.DISPUTE else []
        if decision == "uphold":
            reopened = [i for i in items if not _still_disputed(i, response)]
            NoticeItem.objects.filter(pk__in=[i.pk for i in reopened]).update(status=ItemStatus.OPEN)
        elif decision == "accept":
            retract(items, ACCEPTED_REASON, actor=actor, now=moment)
        named = [str(i.report_id) for i in items]
        response.handled_at, response.handled_by = moment, actor.name
        response.effects = {**response.effects, "analyst": {
            "decision": decision, "note": note, "by": actor.name, "at": moment.isoformat(), "items": named}}
        response.save(update_fields=["handled_at", "handled_by", "effects"])
        timeline.change(notice, action, actor=actor, event=EVENTS[decision], now=moment,
                        details={"response": response.pk, "decision": decision, "items": named, "note": note})
    return response


def _disputed(response: NoticeResponse) -> list[NoticeItem]:
    """The items this dispute is about that are still disputed (a recheck may have closed some)."""
    named = set(response.effects.get("disputed", []))
    if response.item_id is not None and response.item is not None:
        named.add(str(response.item.report_id))
    found = NoticeItem.objects.select_for_update().filter(notice_id=response.notice_id, status=ItemStatus.DISPUTED)
    return [item for item in found.order_by("id") if str(item.report_id) in named]


def _still_disputed(item: NoticeItem, settled: NoticeResponse) -> bool:
    """Another dispute of the same notice, still waiting, names ``item`` (directly or as a whole)."""
    others = NoticeResponse.objects.filter(notice_id=item.notice_id, kind=ResponseKind.DISPUTE, needs_analyst=True,
                                           handled_at__isnull=True).exclude(pk=settled.pk)
    return any(other.item_id == item.pk or str(item.report_id) in other.effects.get("disputed", [])
               for other in others)
