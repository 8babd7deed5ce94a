"""Adding and removing one hash of a stored list by hand (the console's forms).

An import changes many hashes with one ``lists:import`` event; an analyst's single edit is
its own event, ``hashes:add`` or ``hashes:remove``, with the entry before or after. Both
write the change log row that consumers follow, in the same transaction.
"""

from __future__ import annotations

from django.db import transaction

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.banks.exceptions import HashAlreadyListed, HashNotListed, UnknownList
from sentinelle.banks.models import KnownHash, ListChange, StoredList
from sentinelle.lists import ListEntry


def _locked(name: str) -> StoredList:
    stored = StoredList.objects.select_for_update().filter(name=name).first()
    if stored is None:
        raise UnknownList(f"no stored list named {name!r}")
    return stored


def _state(known: KnownHash) -> dict[str, object]:
    return {"signal_type": known.signal_type, "hash": known.hash, "category": known.category or None,
            "id": known.entry_id or None, "note": known.note or None}


def add_hash(name: str, entry: ListEntry, *, actor: Actor) -> KnownHash:
    """Add ``entry`` (already validated by :class:`ListEntry`) to the list ``name``."""
    with transaction.atomic():
        stored = _locked(name)
        if KnownHash.objects.filter(list=stored, signal_type=entry.signal_type, hash=entry.hash).exists():
            raise HashAlreadyListed(f"{entry.signal_type}:{entry.hash} is already in {name!r}")
        known = KnownHash.objects.create(
            list=stored, signal_type=entry.signal_type, hash=entry.hash, category=entry.category or "",
            entry_id=entry.id or "", note=entry.note or "",
        )
        ListChange.objects.create(list=stored, op=ListChange.Op.ADD, signal_type=known.signal_type,
                                  hash=known.hash, category=known.category, entry_id=known.entry_id,
                                  note=known.note)
        record(AuditAction.HASHES_ADD, actor=actor, target_type="list", target_id=name, after=_state(known))
        stored.save(update_fields=["updated"])
    return known


def remove_hash(name: str, signal_type: str, value: str, *, actor: Actor, reason: str = "") -> None:
    """Remove one hash (given in any case) from the list ``name``; the change log keeps it."""
    with transaction.atomic():
        stored = _locked(name)
        known = KnownHash.objects.filter(list=stored, signal_type=signal_type, hash=value.strip().lower()).first()
        if known is None:
            raise HashNotListed(f"{signal_type}:{value.strip()} is not in {name!r}")
        before = _state(known)
        ListChange.objects.create(list=stored, op=ListChange.Op.REMOVE, signal_type=known.signal_type,
                                  hash=known.hash, category=known.category, entry_id=known.entry_id,
                                  note=known.note)
        known.delete()
        record(AuditAction.HASHES_REMOVE, actor=actor, target_type="list", target_id=name, before=before,
               details={"reason": reason.strip()} if reason.strip() else None)
        stored.save(update_fields=["updated"])
