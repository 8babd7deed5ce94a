"""Which of a sighting's matches may be noticed without an analyst, and the item they make.

DESIGN.md: automatic notices go out only for matches against lists marked verified (hashes
analysts confirmed), confirmed on the reference path; other matches wait for an analyst.
A list must also be enabled (in use), and the match's category must be one a notice can
state (``csam``, else ``harmful-abusive``); a hotline's own categories wait for an analyst.
"""

from __future__ import annotations

from dataclasses import dataclass

from sentinelle.banks.models import StoredList
from sentinelle.hashing import PdqPath
from sentinelle.notices.configuration import CATEGORIES
from sentinelle.notices.items import ItemInput, ListedHash
from sentinelle.sightings.models import Match, Sighting


@dataclass(frozen=True)
class Selection:
    """An item to notice, or why there is none (``waits``: an analyst must look)."""

    item: ItemInput | None
    reason: str = ""
    waits: bool = False


def select(sighting: Sighting) -> Selection:
    """The item ``sighting`` makes, from its confirmed matches against enabled, verified lists."""
    confirmed = [m for m in sighting.matches.all() if m.confirmed_reference]
    if not confirmed:
        return Selection(None, "no match held on the reference path")
    lists = {s.name: s for s in StoredList.objects.filter(name__in={m.list_name for m in confirmed})}
    usable = [m for m in confirmed if _usable(lists.get(m.list_name))]
    if not usable:
        return Selection(None, _why_not(confirmed, lists), waits=True)
    categories = {_category(m, lists) for m in usable}
    category = next((c for c in CATEGORIES if c in categories), None)
    if category is None:
        return Selection(None, f"matched verified lists only under category {', '.join(sorted(categories))}: "
                               "not noticed automatically", waits=True)
    kept = [m for m in usable if _category(m, lists) in CATEGORIES]
    media = sighting.media
    item = ItemInput(
        url=sighting.url, sha256=media.sha256, md5=media.md5, sha1=media.sha1,
        pdq=media.pdq if media.pdq_path == PdqPath.REFERENCE else "", mime=media.mime, ip=sighting.ip,
        category=category, first_seen=sighting.seen_at, last_verified=sighting.seen_at,
        matched=tuple(ListedHash(m.list_name, m.signal_type, m.hash) for m in kept), sighting_id=sighting.pk,
    )
    return Selection(item)


def _usable(stored: StoredList | None) -> bool:
    return stored is not None and stored.enabled and stored.verified


def _category(match: Match, lists: dict[str, StoredList]) -> str:
    stored = lists.get(match.list_name)
    return str(match.category or (stored.category if stored is not None else ""))


def _why_not(confirmed: list[Match], lists: dict[str, StoredList]) -> str:
    reasons = []
    for name in sorted({m.list_name for m in confirmed}):
        stored = lists.get(name)
        if stored is None:
            reasons.append(f"list {name} is no longer stored")
        elif not stored.enabled:
            reasons.append(f"list {name} is disabled")
        else:
            reasons.append(f"list {name} is not verified")
    return "; ".join(reasons)
