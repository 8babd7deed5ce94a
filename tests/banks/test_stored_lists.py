"""Stored lists: import (merge and replace), flags, change log cursor, audit, and the index cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.banks.exceptions import ListExists, UnknownList
from sentinelle.banks.index import IndexCache, generation
from sentinelle.banks.models import KnownHash, ListChange
from sentinelle.banks.services import (
    as_hash_list,
    changes_since,
    create_list,
    get_list,
    import_list,
    load_lists,
    set_flag,
)
from sentinelle.hashing import digests
from sentinelle.lists import HashList, ListEntry

pytestmark = pytest.mark.django_db

BOB = Actor.user("bob")


def _md5(text: str) -> str:
    return digests(text.encode()).md5


def _list(name: str, *words: str, **options: object) -> HashList:
    return HashList(name, [ListEntry("md5", _md5(w), id=w) for w in words], **options)  # type: ignore[arg-type]


def test_import_creates_then_merges_then_replaces() -> None:
    first = import_list(_list("l", "a", "b", "c", category="csam"), actor=BOB)
    assert (first.created, first.added) == (True, 3)
    assert get_list("l").category == "csam"
    merged = import_list(_list("l", "c", "d"), actor=BOB)
    assert (merged.created, merged.added, merged.unchanged, merged.removed) == (False, 1, 1, 0)
    assert KnownHash.objects.filter(list__name="l").count() == 4
    replaced = import_list(_list("l", "d", "e"), actor=BOB, replace=True)
    assert (replaced.added, replaced.removed, replaced.unchanged) == (1, 3, 1)
    assert sorted(h.entry_id for h in KnownHash.objects.filter(list__name="l")) == ["d", "e"]


def test_edits_and_duplicates() -> None:
    import_list(_list("l", "a"), actor=BOB)
    edited = HashList("l", [ListEntry("md5", _md5("a"), "harmful-abusive", "a", "now categorised"),
                            ListEntry("md5", _md5("a"), None, "again")])
    result = import_list(edited, actor=BOB)
    assert (result.edited, result.duplicates, result.added) == (1, 1, 0)
    known = KnownHash.objects.get(list__name="l")
    assert (known.category, known.note) == ("harmful-abusive", "now categorised")


def test_the_change_log_is_a_cursor_consumers_follow() -> None:
    import_list(_list("l", "a", "b"), actor=BOB)
    cursor = max(c.id for c in changes_since("l"))
    import_list(_list("l", "b", "c"), actor=BOB, replace=True)
    later = list(changes_since("l", cursor))
    assert sorted((c.op, c.entry_id) for c in later) == [("add", "c"), ("remove", "a")]
    assert list(changes_since("l", max(c.id for c in later))) == []
    assert [c.op for c in changes_since("l", 0, limit=2)] == ["add", "add"]


def test_every_change_is_audited_with_before_and_after() -> None:
    import_list(_list("l", "a"), actor=BOB)
    set_flag("l", AuditAction.LISTS_VERIFY, actor=BOB)
    set_flag("l", AuditAction.LISTS_DISABLE, actor=BOB)
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", "actor", "target_id"))
    assert actions == [
        ("lists:create", "bob", "l"), ("lists:import", "bob", "l"),
        ("lists:verify", "bob", "l"), ("lists:disable", "bob", "l"),
    ]
    verify_event = AuditEvent.objects.get(action="lists:verify")
    assert verify_event.before["verified"] is False and verify_event.after["verified"] is True  # type: ignore[index]
    imported = AuditEvent.objects.get(action="lists:import")
    assert imported.details["added"] == 1  # type: ignore[index]


def test_errors_are_typed() -> None:
    create_list("l", actor=BOB)
    with pytest.raises(ListExists):
        create_list("l", actor=BOB)
    with pytest.raises(UnknownList):
        set_flag("missing", AuditAction.LISTS_ENABLE, actor=BOB)
    with pytest.raises(UnknownList):
        load_lists(["missing"])


def test_stored_lists_round_trip_to_the_engine() -> None:
    source = _list("l", "x", "y", category="csam", threshold=12)
    import_list(source, actor=BOB)
    back = as_hash_list(get_list("l"))
    assert back.entries == source.entries and back.threshold == 12 and back.category == "csam"


def test_the_index_cache_reloads_when_lists_change(tmp_path: Path) -> None:
    import_list(_list("l", "a"), actor=BOB)
    cache = IndexCache(tmp_path / "index")
    first = cache.matcher()
    assert [m.id for m in first.exact_matches(digests(b"a"))] == ["a"]
    assert cache.matcher() is first  # nothing changed: same object
    import_list(_list("l", "b"), actor=BOB)
    second = cache.matcher()
    assert second is not first and [m.id for m in second.exact_matches(digests(b"b"))] == ["b"]
    set_flag("l", AuditAction.LISTS_DISABLE, actor=BOB)
    assert cache.matcher().exact_matches(digests(b"a")) == []  # disabled lists do not match
    # A second process finds the saved index for the current generation and loads it.
    other = IndexCache(tmp_path / "index")
    assert other.matcher().entries == cache.matcher().entries
    assert other.loaded_generation == generation()


def test_list_changes_write_change_rows_in_the_same_transaction() -> None:
    import_list(_list("l", "a", "b"), actor=BOB)
    assert ListChange.objects.count() == 2 and KnownHash.objects.count() == 2
