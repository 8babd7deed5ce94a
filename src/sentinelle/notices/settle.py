"""After a delivery attempt: sent, retried after a back-off, or failed for the operator."""

from __future__ import annotations

from django.db import transaction

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor
from sentinelle.notices import configuration, timeline
from sentinelle.notices.delivery.base import Outcome, Result
from sentinelle.notices.models import ChannelState, Kind, NoticeEvent, Status
from sentinelle.notices.rechecks import schedule_sent

_STATE = {
    Outcome.SENT: ChannelState.SENT,
    Outcome.CONSOLE: ChannelState.SENT,
    Outcome.PERMANENT: ChannelState.FAILED,
    Outcome.TEMPORARY: ChannelState.PENDING,
}


def settle(notice_id: int, results: dict[str, Result], *, actor: Actor, worker: str) -> str:
    """Record the channels' ``results`` on the notice; its new status."""
    now = clock.current().now()
    policy = configuration.retry_policy()
    with transaction.atomic():
        notice = timeline.locked(notice_id)
        states = {f"{name}_state": _STATE[result.outcome] for name, result in results.items()}
        details = {name: {"outcome": str(r.outcome), "detail": r.detail} for name, r in results.items()}
        errors = "; ".join(f"{name}: {r.detail}" for name, r in results.items() if r.outcome in _FAILURES)
        if notice.status != Status.SENDING or notice.claimed_by != worker:
            # Our claim expired and another worker took the notice over: keep what we
            # delivered (a success is a success), leave the status to the new claimant.
            delivered = {key: value for key, value in states.items() if value == ChannelState.SENT}
            for key, value in delivered.items():
                setattr(notice, key, value)
            notice.save(update_fields=[*delivered, "updated"])
            NoticeEvent.objects.create(notice=notice, at=now, event="late-result", actor=f"system:{worker}",
                                       details=details)
            return str(notice.status)
        now_in = {c: states.get(f"{c}_state", getattr(notice, f"{c}_state")) for c in ("email", "webhook")}
        pending = [c for c, state in now_in.items() if state == ChannelState.PENDING]
        failed = [c for c, state in now_in.items() if state == ChannelState.FAILED]
        common = {**states, "claimed_by": "", "claimed_until": None, "last_error": errors[:2000]}
        if pending and notice.attempts >= policy.max_attempts:
            reason = f"gave up after {notice.attempts} attempts"
            timeline.change(
                notice, AuditAction.NOTICE_FAIL, actor=actor, event="failed", now=now,
                details={**details, "reason": reason},
                **{**common, **{f"{c}_state": ChannelState.FAILED for c in pending},
                   "last_error": f"{reason}: {errors}"[:2000]},
                status=Status.FAILED,
            )
        elif pending:
            delay = policy.delay(notice.attempts)
            timeline.change(
                notice, AuditAction.NOTICE_RETRY, actor=actor, event="retry", now=now,
                details={**details, "retry_in_seconds": delay.total_seconds()},
                **common, status=Status.RETRYING, due_at=now + delay,
            )
        elif failed:
            timeline.change(notice, AuditAction.NOTICE_FAIL, actor=actor, event="failed", now=now,
                            details=details, **common, status=Status.FAILED)
        else:
            timeline.change(notice, AuditAction.NOTICE_SEND, actor=actor, event="sent", now=now,
                            details=details, **common, status=Status.SENT, sent_at=now)
            if notice.kind == Kind.NOTICE:
                schedule_sent(notice, now)
        return str(notice.status)


_FAILURES = (Outcome.TEMPORARY, Outcome.PERMANENT)
