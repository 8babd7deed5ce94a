"""Checking the audit log: the chain recomputed, the sequence complete, the anchors matched."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sentinelle.audit.anchor import read_anchors
from sentinelle.audit.chain import GENESIS, event_hash
from sentinelle.audit.models import AuditEvent, AuditHead


@dataclass
class Verification:
    events: int = 0
    last_seq: int = 0
    anchors: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "events": self.events,
            "last_seq": self.last_seq,
            "anchors_checked": self.anchors,
            "problems": self.problems,
        }


def verify(anchor_file: Path | None = None, *, max_problems: int = 100) -> Verification:
    """Walk the whole chain; report every edit, deletion, reordering and truncation found."""
    result = Verification()
    anchored: dict[int, set[str]] = {}
    for anchor in read_anchors(anchor_file):
        result.anchors += 1
        anchored.setdefault(anchor.seq, set()).add(anchor.hash)

    def problem(text: str) -> None:
        if len(result.problems) < max_problems:
            result.problems.append(text)

    expected_seq, previous = 1, GENESIS
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        result.events += 1
        if event.seq != expected_seq:
            problem(f"events {expected_seq}..{event.seq - 1} are missing (deleted)")
        if event.prev_hash != previous:
            problem(f"event {event.seq} does not follow the event before it (chain broken)")
        if event_hash(event) != event.hash:
            problem(f"event {event.seq} was changed after it was written")
        if event.seq in anchored and anchored[event.seq] != {event.hash}:
            problem(f"event {event.seq} differs from its anchor (rewritten)")
        previous, expected_seq = event.hash, event.seq + 1
        result.last_seq = event.seq

    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq, head.hash) != (result.last_seq, previous):
        problem(f"the chain head says event {head.seq} but the log ends at event {result.last_seq} (truncated)")
    beyond = [seq for seq in anchored if seq > result.last_seq]
    if beyond:
        problem(f"the anchor holds event {max(beyond)} but the log ends at event {result.last_seq} (truncated)")
    return result
