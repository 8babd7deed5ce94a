"""The audit log: chained, append-only, anchored; verify catches edits, deletions, truncation."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.anchor import read_anchors, write_anchor
from sentinelle.audit.chain import GENESIS
from sentinelle.audit.exceptions import AuditImmutable
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor, record
from sentinelle.audit.verify import verify

# Audit rows cannot be deleted, so these tests run inside a transaction that is rolled
# back (not flushed); anchors written on commit are run by capturing the callbacks.
pytestmark = pytest.mark.django_db

ALICE = Actor.user("alice")


@pytest.fixture(autouse=True)
def anchor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "anchor.jsonl"
    monkeypatch.setenv("SENTINELLE_AUDIT_ANCHOR", str(path))
    monkeypatch.setenv("SENTINELLE_AUDIT_ANCHOR_EVERY", "1")
    return path


@pytest.fixture(autouse=True)
def _commit_callbacks(django_capture_on_commit_callbacks: Any) -> None:
    global _CAPTURE
    _CAPTURE = django_capture_on_commit_callbacks


_CAPTURE: Any = None


def _events(count: int) -> list[AuditEvent]:
    with _CAPTURE(execute=True):
        return [
            record(AuditAction.LISTS_EDIT, actor=ALICE, target_type="list", target_id=f"l{i}",
                   before={"verified": False}, after={"verified": True, "n": i})
            for i in range(count)
        ]


def _drop_guards() -> None:
    # What an attacker with database rights would do first.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent")


@pytest.fixture
def unguarded() -> None:
    _drop_guards()  # undone with the test's transaction


def test_events_form_a_chain_and_the_anchor_follows(anchor: Path) -> None:
    events = _events(5)
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert events[2].actor == "alice" and events[2].actor_kind == "user"
    assert events[2].before == {"verified": False} and events[2].after == {"verified": True, "n": 2}
    assert [(a.seq, a.hash) for a in read_anchors(anchor)] == [(e.seq, e.hash) for e in events]
    report = verify(anchor)
    assert report.ok and report.events == 5 and report.anchors == 5


def test_a_rolled_back_change_leaves_no_event_and_no_anchor(anchor: Path) -> None:
    _events(1)
    with _CAPTURE(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        record(AuditAction.LISTS_DELETE, actor=ALICE, target_type="list", target_id="x")
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == 1
    assert len(list(read_anchors(anchor))) == 1
    assert verify(anchor).ok


def test_sentinelle_itself_never_changes_or_deletes_events() -> None:
    (event,) = _events(1)
    event.actor = "mallory"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()


def test_the_database_refuses_updates_and_deletes() -> None:
    _events(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(actor="mallory")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()
    assert verify().ok


def test_verify_detects_an_edit(anchor: Path, unguarded: object) -> None:
    _events(4)
    AuditEvent.objects.filter(seq=2).update(actor="mallory")
    report = verify(anchor)
    assert not report.ok
    assert "event 2 was changed after it was written" in report.problems


def test_verify_detects_a_consistent_rewrite_through_the_anchor(anchor: Path, unguarded: object) -> None:
    from sentinelle.audit.chain import event_hash

    _events(3)
    # Rewrite event 3 and recompute its hash, as a careful attacker would.
    event = AuditEvent.objects.get(seq=3)
    event.after = {"verified": False}
    AuditEvent.objects.filter(seq=3).update(after=event.after, hash=event_hash(event))
    from sentinelle.audit.models import AuditHead

    AuditHead.objects.filter(id=1).update(hash=event_hash(event))
    report = verify(anchor)
    assert report.problems == ["event 3 differs from its anchor (rewritten)"]


def test_verify_detects_a_deletion(anchor: Path, unguarded: object) -> None:
    _events(5)
    AuditEvent.objects.filter(seq=3).delete()
    problems = verify(anchor).problems
    assert "events 3..3 are missing (deleted)" in problems
    assert "event 4 does not follow the event before it (chain broken)" in problems


def test_verify_detects_truncation_even_with_the_head_rewritten(anchor: Path, unguarded: object) -> None:
    events = _events(5)
    AuditEvent.objects.filter(seq__gte=4).delete()
    from sentinelle.audit.models import AuditHead

    AuditHead.objects.filter(id=1).update(seq=3, hash=events[2].hash)
    problems = verify(anchor).problems
    assert problems == ["the anchor holds event 5 but the log ends at event 3 (truncated)"]


def test_a_sparse_anchor_still_catches_truncation(anchor: Path, unguarded: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_AUDIT_ANCHOR_EVERY", "4")
    events = _events(9)
    assert [a.seq for a in read_anchors(anchor)] == [4, 8]
    AuditEvent.objects.filter(seq__gte=7).delete()
    from sentinelle.audit.models import AuditHead

    AuditHead.objects.filter(id=1).update(seq=6, hash=events[5].hash)
    assert verify(anchor).problems == ["the anchor holds event 8 but the log ends at event 6 (truncated)"]


def test_a_damaged_anchor_file_is_an_error(anchor: Path) -> None:
    from sentinelle.audit.exceptions import AnchorError

    _events(1)
    write_anchor(1, "x" * 64, anchor)
    with anchor.open("a") as stream:
        stream.write("not json\n")
    with pytest.raises(AnchorError, match="line 3 is damaged"):
        list(read_anchors(anchor))
