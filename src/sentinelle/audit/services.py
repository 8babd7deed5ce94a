"""Recording audit events. Call :func:`record` inside the transaction of the change."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sentinelle.audit.actions import ActorKind, AuditAction
from sentinelle.audit.anchor import anchor_every, write_anchor
from sentinelle.audit.chain import GENESIS, event_hash, normalize
from sentinelle.audit.exceptions import AnchorError
from sentinelle.audit.models import AuditEvent, AuditHead

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Actor:
    """Who made a change: a user, a partner, or a component of sentinelle itself."""

    kind: ActorKind
    name: str

    @classmethod
    def system(cls, component: str) -> Actor:
        return cls(ActorKind.SYSTEM, component)

    @classmethod
    def user(cls, name: str) -> Actor:
        return cls(ActorKind.USER, name)

    @classmethod
    def partner(cls, name: str) -> Actor:
        return cls(ActorKind.PARTNER, name)


def record(
    action: AuditAction,
    *,
    actor: Actor,
    target_type: str = "",
    target_id: object = "",
    before: Any = None,
    after: Any = None,
    details: Any = None,
) -> AuditEvent:
    """Append one event to the chain (in the caller's transaction, or a new one)."""
    with transaction.atomic():
        head = _locked_head()
        event = AuditEvent(
            seq=head.seq + 1,
            created=timezone.now(),
            actor_kind=str(actor.kind),
            actor=actor.name,
            action=str(action),
            target_type=target_type,
            target_id=str(target_id),
            before=normalize(before),
            after=normalize(after),
            details=normalize(details),
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save()
        AuditHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
        if event.seq % anchor_every() == 0:
            seq, digest = event.seq, event.hash
            transaction.on_commit(lambda: _anchor_quietly(seq, digest))
    return event


def anchor_now() -> tuple[int, str]:
    """Write the current head to the anchor (a scheduled job or an operator may call it)."""
    head = AuditHead.objects.filter(id=1).first()
    seq, digest = (head.seq, head.hash) if head else (0, GENESIS)
    write_anchor(seq, digest)
    return seq, digest


def _locked_head() -> AuditHead:
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1, defaults={"hash": GENESIS})
    return head


def _anchor_quietly(seq: int, digest: str) -> None:
    # The event is committed; an anchor that cannot be written must not undo it, but it
    # must be loud: verification protects less until the next anchor succeeds.
    try:
        write_anchor(seq, digest)
    except AnchorError:
        logger.exception("audit anchor not written for event %s", seq)
