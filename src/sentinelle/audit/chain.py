"""How an audit event is hashed: SHA-256 over the previous hash and a canonical form."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, Final, Protocol

GENESIS: Final = "0" * 64


class Hashable(Protocol):
    seq: int
    created: datetime
    actor_kind: str
    actor: str
    action: str
    target_type: str
    target_id: str
    before: Any
    after: Any
    details: Any
    prev_hash: str


def canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def normalize(value: Any) -> Any:
    """``value`` as the database will give it back (plain JSON), so hashing is repeatable."""
    return None if value is None else json.loads(canonical_json(value))


def event_hash(event: Hashable) -> str:
    body = canonical_json(
        {
            "seq": event.seq,
            "created": canonical_time(event.created),
            "actor_kind": event.actor_kind,
            "actor": event.actor,
            "action": event.action,
            "target_type": event.target_type,
            "target_id": event.target_id,
            "before": event.before,
            "after": event.after,
            "details": event.details,
        }
    )
    return hashlib.sha256((event.prev_hash + body).encode("utf-8")).hexdigest()
