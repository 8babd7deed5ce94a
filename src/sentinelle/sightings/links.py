"""Linking a match to the listed hash it names, when the matcher did not hand the row over."""

from __future__ import annotations

from collections.abc import Iterable

from sentinelle.banks.models import KnownHash

#: (list name, signal type, hash)
Slot = tuple[str, str, str]


def known_hash_ids(slots: Iterable[Slot]) -> dict[Slot, int]:
    """The listed hash (the first stored, as :func:`.services.record_sighting` links it) of
    each ``(list name, signal type, hash)`` that names one, in one query."""
    wanted = set(slots)
    if not wanted:
        return {}
    found: dict[Slot, int] = {}
    rows = (
        KnownHash.objects.filter(hash__in={value for _, _, value in wanted})
        .order_by("id")
        .values_list("id", "list__name", "signal_type", "hash")
    )
    for pk, list_name, signal_type, value in rows:
        slot = (str(list_name), str(signal_type), str(value))
        if slot in wanted and slot not in found:
            found[slot] = int(pk)
    return found
