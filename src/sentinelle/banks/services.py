"""Changing stored lists: every change in one transaction with its change-log rows and audit event."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.banks.exceptions import ListExists, UnknownList
from sentinelle.banks.models import KnownHash, ListChange, StoredList
from sentinelle.lists import HashList, ListEntry, validate_category

BATCH = 5_000

#: What identifies an entry inside one stored list; category, id and note can be edited.
Key = tuple[str, str]


@dataclass(frozen=True)
class ImportResult:
    list: str
    created: bool
    added: int
    edited: int
    removed: int
    unchanged: int
    duplicates: int

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def get_list(name: str) -> StoredList:
    try:
        return StoredList.objects.get(name=name)
    except StoredList.DoesNotExist:
        raise UnknownList(f"no stored list named {name!r}") from None


def create_list(
    name: str,
    *,
    actor: Actor,
    category: str | None = None,
    source: str = "",
    verified: bool = False,
    threshold: int | None = None,
) -> StoredList:
    HashList(name, category=category, threshold=threshold)  # validates name, category, threshold
    with transaction.atomic():
        if StoredList.objects.filter(name=name).exists():
            raise ListExists(f"a stored list named {name!r} already exists")
        stored = StoredList.objects.create(
            name=name, category=category or "", source=source, verified=verified, threshold=threshold
        )
        record(AuditAction.LISTS_CREATE, actor=actor, target_type="list", target_id=name, after=stored.settings())
    return stored


def import_list(
    incoming: HashList,
    *,
    actor: Actor,
    name: str | None = None,
    replace: bool = False,
    details: dict[str, Any] | None = None,
) -> ImportResult:
    """Add ``incoming``'s entries to the stored list ``name`` (created if new).

    With ``replace`` the stored list ends up holding exactly the file's entries: the
    others are removed. Entries are keyed by (signal type, hash); a known key with a
    different category, id or note is an edit. The change log gets one row per change,
    the audit log one event for the whole import.
    """
    target = name or incoming.name
    with transaction.atomic():
        stored = StoredList.objects.select_for_update().filter(name=target).first()
        created = stored is None
        if stored is None:
            stored = create_list(
                target, actor=actor, category=incoming.category, source=incoming.source or "",
                verified=incoming.verified, threshold=incoming.threshold,
            )
        existing = {(h.signal_type, h.hash): h for h in KnownHash.objects.filter(list=stored)}
        wanted: dict[Key, ListEntry] = {}
        duplicates = 0
        for entry in incoming.entries:
            key = (entry.signal_type, entry.hash)
            if key in wanted:
                duplicates += 1
                continue
            wanted[key] = entry
        additions = [e for k, e in wanted.items() if k not in existing]
        edits = [(existing[k], e) for k, e in wanted.items() if k in existing and _differs(existing[k], e)]
        removals = [h for k, h in existing.items() if k not in wanted] if replace else []
        _add(stored, additions)
        _edit(stored, edits)
        _remove(stored, removals)
        result = ImportResult(
            target, created, len(additions), len(edits), len(removals),
            len(wanted) - len(additions) - len(edits), duplicates,
        )
        record(
            AuditAction.LISTS_IMPORT, actor=actor, target_type="list", target_id=target,
            details={**result.as_dict(), "replace": replace, "source": incoming.source, **(details or {})},
        )
        stored.save(update_fields=["updated"])
    return result


def _differs(known: KnownHash, entry: ListEntry) -> bool:
    return (known.category, known.entry_id, known.note) != (entry.category or "", entry.id or "", entry.note or "")


def _add(stored: StoredList, entries: list[ListEntry]) -> None:
    for start in range(0, len(entries), BATCH):
        chunk = entries[start : start + BATCH]
        KnownHash.objects.bulk_create(
            KnownHash(list=stored, signal_type=e.signal_type, hash=e.hash, category=e.category or "",
                      entry_id=e.id or "", note=e.note or "")
            for e in chunk
        )
        ListChange.objects.bulk_create(_change(stored, ListChange.Op.ADD, e) for e in chunk)


def _edit(stored: StoredList, edits: list[tuple[KnownHash, ListEntry]]) -> None:
    for known, entry in edits:
        known.category, known.entry_id, known.note = entry.category or "", entry.id or "", entry.note or ""
    for start in range(0, len(edits), BATCH):
        chunk = edits[start : start + BATCH]
        KnownHash.objects.bulk_update([k for k, _ in chunk], ["category", "entry_id", "note"])
        ListChange.objects.bulk_create(_change(stored, ListChange.Op.EDIT, e) for _, e in chunk)


def _remove(stored: StoredList, removals: list[KnownHash]) -> None:
    for start in range(0, len(removals), BATCH):
        chunk = removals[start : start + BATCH]
        ListChange.objects.bulk_create(
            ListChange(list=stored, op=ListChange.Op.REMOVE, signal_type=k.signal_type, hash=k.hash,
                       category=k.category, entry_id=k.entry_id, note=k.note)
            for k in chunk
        )
        KnownHash.objects.filter(id__in=[k.id for k in chunk]).delete()


def _change(stored: StoredList, op: str, entry: ListEntry) -> ListChange:
    return ListChange(list=stored, op=op, signal_type=entry.signal_type, hash=entry.hash,
                      category=entry.category or "", entry_id=entry.id or "", note=entry.note or "")


_FLAGS = {
    AuditAction.LISTS_ENABLE: ("enabled", True),
    AuditAction.LISTS_DISABLE: ("enabled", False),
    AuditAction.LISTS_VERIFY: ("verified", True),
    AuditAction.LISTS_UNVERIFY: ("verified", False),
}


def set_flag(name: str, action: AuditAction, *, actor: Actor) -> StoredList:
    """Enable, disable, verify or unverify a list (audited with before and after)."""
    field, value = _FLAGS[action]
    with transaction.atomic():
        stored = StoredList.objects.select_for_update().filter(name=name).first()
        if stored is None:
            raise UnknownList(f"no stored list named {name!r}")
        before = stored.settings()
        setattr(stored, field, value)
        stored.save(update_fields=[field, "updated"])
        record(action, actor=actor, target_type="list", target_id=name, before=before, after=stored.settings())
    return stored


def set_category(name: str, category: str | None, *, actor: Actor) -> StoredList:
    if category is not None:
        validate_category(category)
    with transaction.atomic():
        stored = get_list(name)
        before = stored.settings()
        stored.category = category or ""
        stored.save(update_fields=["category", "updated"])
        record(AuditAction.LISTS_EDIT, actor=actor, target_type="list", target_id=name, before=before, after=stored.settings())
    return stored


def as_hash_list(stored: StoredList) -> HashList:
    """A stored list as the engine's :class:`HashList`, entries in the order they were added."""
    entries = [
        ListEntry(h.signal_type, h.hash, h.category or None, h.entry_id or None, h.note or None)
        for h in KnownHash.objects.filter(list=stored).order_by("id").iterator(chunk_size=BATCH)
    ]
    return HashList(
        stored.name, entries, category=stored.category or None, verified=stored.verified,
        threshold=stored.threshold, source=f"stored list {stored.name}",
    )


def load_lists(names: list[str] | None = None) -> list[HashList]:
    """The named stored lists (whether enabled or not), or every enabled one."""
    if names is None:
        return [as_hash_list(s) for s in StoredList.objects.filter(enabled=True)]
    return [as_hash_list(get_list(n)) for n in names]


def summary(stored: StoredList) -> dict[str, object]:
    counts = dict(
        KnownHash.objects.filter(list=stored).values_list("signal_type").annotate(n=Count("id")).values_list("signal_type", "n")
    )
    cursor = ListChange.objects.filter(list=stored).aggregate(last=Max("id"))["last"] or 0
    return {**stored.settings(), "hashes": sum(counts.values()), "by_signal_type": counts,
            "cursor": cursor, "created": stored.created.isoformat(), "updated": stored.updated.isoformat()}


def changes_since(name: str, cursor: int = 0, *, limit: int = 1000) -> Iterator[ListChange]:
    """The list's changes after ``cursor`` (a change id), oldest first."""
    stored = get_list(name)
    yield from ListChange.objects.filter(list=stored, id__gt=cursor).order_by("id")[:limit]
