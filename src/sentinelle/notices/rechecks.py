"""Rechecks: every noticed URL is fetched again on a schedule until its file is gone.

When a notice is sent, each of its items is due for a recheck ``SENTINELLE_RECHECK_HOURS``
later (``next_check_at``). The worker's scheduler enqueues a ``recheck_item`` task for each
due item (pushing its due time a claim period ahead, so a lost task is enqueued again).
The task fetches the URL through the egress guard and judges (:mod:`.recheck_verdict`):

* removed: the item is closed (``removed``, ``removed_at``, ``time_to_removal`` counted from
  the notice's ``sent_at``), and so is every other live item with the same URL and SHA-256
  whose notice was sent (a registrar's copy, say);
* still there: ``last_verified`` moves on, the next rung of the ladder is taken
  (:mod:`.ladder`: a reminder, an escalation step) and the next recheck is due in an interval;
* inconclusive: counted, and checked again after the interval or an hour, whichever is
  shorter.

Every recheck is an event on the item. :func:`request_recheck` makes an item due at once
(a provider says it removed the file: the claim is verified by a recheck).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from django.db import transaction

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.banks.models import StoredList
from sentinelle.hashing import PdqSignal
from sentinelle.notices import configuration, ladder, timeline
from sentinelle.notices import wiring as wirings
from sentinelle.notices.exceptions import InvalidTransition, UnknownNoticeItem
from sentinelle.notices.models import (
    LIVE,
    CheckOutcome,
    ItemStatus,
    Notice,
    NoticeEvent,
    NoticeItem,
)
from sentinelle.notices.recheck_verdict import Listed, Reference, Verdict, judge

REQUESTER: Final = "recheck-request"


def schedule_sent(notice: Notice, now: datetime) -> int:
    """A notice went out: its live items are due for a recheck one interval later."""
    due = now + configuration.recheck_interval()
    return NoticeItem.objects.filter(notice=notice, status__in=LIVE, next_check_at=None).update(next_check_at=due)


def request_recheck(item_id: int, *, reason: str, actor: Actor | None = None, now: datetime | None = None) -> None:
    """Recheck item ``item_id`` as soon as a worker can (a removal claim is verified this way).

    Does nothing for an item already closed (removed or retracted). :class:`UnknownNoticeItem`
    when there is no such item; :class:`InvalidTransition` when its notice was not sent yet.
    """
    who = actor or Actor.system(REQUESTER)
    moment = now or wirings.current().now()
    with transaction.atomic():
        item = NoticeItem.objects.select_for_update().select_related("notice").filter(pk=item_id).first()
        if item is None:
            raise UnknownNoticeItem(f"no notice item has id {item_id}")
        if item.status not in LIVE:
            return
        if item.notice.sent_at is None:
            raise InvalidTransition(f"item {item_id}: notice {item.notice.reference} has not been sent yet")
        item.next_check_at = moment
        item.save(update_fields=["next_check_at"])
        details = {"item": str(item.report_id), "reason": reason[:500]}
        NoticeEvent.objects.create(notice_id=item.notice_id, item=item, at=moment, event="recheck-requested",
                                   actor=f"{who.kind}:{who.name}", details=details)
        record(AuditAction.NOTICE_RECHECK_REQUEST, actor=who, target_type=timeline.TARGET_TYPE,
               target_id=item.notice.reference, details=details)


def reference_of(item: NoticeItem) -> Reference:
    """The item's file as a recheck compares it: its SHA-256, the listed hashes it matched
    (PDQ at their list's threshold) and its own digests."""
    matched = list(item.matches.all())
    thresholds = dict(StoredList.objects.filter(name__in={m.list_name for m in matched})
                      .values_list("name", "threshold"))
    listed = [Listed(m.list_name, m.signal_type, m.hash, thresholds.get(m.list_name) or PdqSignal.default_threshold)
              for m in matched]
    listed += [Listed("", kind, getattr(item, kind), 0) for kind in ("sha256", "md5", "sha1") if getattr(item, kind)]
    return Reference(item.sha256, tuple(dict.fromkeys(listed)))


def recheck(item_id: int, *, actor: Actor, wiring: wirings.Wiring | None = None) -> str:
    """Recheck one item now; its outcome (``closed`` when it no longer needs one)."""
    chosen = wiring or wirings.current()
    item = NoticeItem.objects.select_related("notice").filter(pk=item_id).first()
    if item is None or item.status not in LIVE:
        return "closed"
    verdict = judge(chosen.fetcher(), item.url, reference_of(item))
    now = chosen.now()
    step = None
    # A disputed item waits for an analyst: rechecked (it may still go), never reminded or
    # escalated until the dispute is settled.
    if verdict.outcome == CheckOutcome.STILL_THERE and item.status == ItemStatus.OPEN and ladder.due(item, now):
        step = ladder.plan(item, chosen)
    with transaction.atomic():
        current = NoticeItem.objects.select_for_update().select_related("notice").get(pk=item_id)
        if current.status not in LIVE:
            return "closed"
        _checked(current, verdict, actor, now)
        if verdict.outcome == CheckOutcome.REMOVED:
            _close(current, verdict, actor, now)
        elif verdict.outcome == CheckOutcome.INCONCLUSIVE:
            current.inconclusive_checks += 1
            current.next_check_at = now + configuration.inconclusive_retry()
        else:
            current.last_verified = max(current.last_verified, now)
            current.next_check_at = now + configuration.recheck_interval()
            if (step is not None and current.status == ItemStatus.OPEN
                    and (current.reminders, current.escalations) == (item.reminders, item.escalations)):
                ladder.take(step, current, actor=actor, now=now)
        current.save()
    return verdict.outcome


def _checked(item: NoticeItem, verdict: Verdict, actor: Actor, now: datetime) -> None:
    item.checks += 1
    item.last_checked_at, item.last_check, item.last_check_detail = now, verdict.outcome, verdict.detail[:2000]
    NoticeEvent.objects.create(notice_id=item.notice_id, item=item, at=now, event="recheck",
                               actor=f"{actor.kind}:{actor.name}",
                               details={"outcome": verdict.outcome, "detail": verdict.detail, "status": verdict.status})


def _close(item: NoticeItem, verdict: Verdict, actor: Actor, now: datetime) -> None:
    """Close ``item`` (locked, saved by the caller) and the other live, sent items of the
    same URL and file."""
    others = list(NoticeItem.objects.select_for_update().select_related("notice")
                  .filter(url_key=item.url_key, sha256=item.sha256, status__in=LIVE, notice__sent_at__isnull=False)
                  .exclude(pk=item.pk))
    for closing in [item, *others]:
        sent = closing.notice.sent_at or now
        closing.status, closing.removed_at = ItemStatus.REMOVED, now
        closing.time_to_removal, closing.next_check_at = max(now - sent, timedelta(0)), None
        details = {"item": str(closing.report_id), "detail": verdict.detail,
                   "time_to_removal_seconds": closing.time_to_removal.total_seconds()}
        NoticeEvent.objects.create(notice_id=closing.notice_id, item=closing, at=now, event="removed",
                                   actor=f"{actor.kind}:{actor.name}", details=details)
        record(AuditAction.NOTICE_ITEM_REMOVED, actor=actor, target_type=timeline.TARGET_TYPE,
               target_id=closing.notice.reference, details=details)
        if closing is not item:
            closing.save()
