"""One matcher over every loaded list: exact indexes per digest and one PDQ near index.

Each list entry gets an integer id (its position); the indexes hold ids, and
:class:`IndexedEntry` maps an id back to its list, category and entry id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from sentinelle.hashing import Digests, Dihedral, PdqHash, PdqSignal
from sentinelle.lists import HashList
from sentinelle.matching import (
    EXACT_SIGNAL_TYPES,
    SIGNAL_WIDTHS,
    BruteForceIndex,
    ExactHashIndex,
    MultiIndexHashIndex,
    NearIndex,
    hashes_from_hex,
)
from sentinelle.matching.hashes import HashBatch

#: Below this many PDQ entries a brute-force scan is as fast as the multi-index.
BRUTE_FORCE_BELOW: Final = 5_000


@dataclass(frozen=True, slots=True)
class IndexedEntry:
    list: str
    signal_type: str
    hash: str
    category: str | None
    id: str | None
    threshold: int


@dataclass(frozen=True, slots=True)
class Match:
    """A listed hash that a file matched; ``transform`` names the dihedral variant for PDQ."""

    list: str
    signal_type: str
    hash: str
    distance: int
    category: str | None
    id: str | None
    transform: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "list": self.list,
            "signal_type": self.signal_type,
            "hash": self.hash,
            "distance": self.distance,
            "category": self.category,
            "id": self.id,
            "transform": self.transform,
        }


class Matcher:
    """Matches digests exactly and PDQ values by Hamming distance against listed entries."""

    entries: Sequence[IndexedEntry]

    def __init__(self, lists: Sequence[HashList]) -> None:
        entries = [
            IndexedEntry(
                hash_list.name,
                entry.signal_type,
                entry.hash,
                entry.category or hash_list.category,
                entry.id,
                hash_list.pdq_threshold,
            )
            for hash_list in lists
            for entry in hash_list.entries
        ]
        self._setup(entries, None)

    @classmethod
    def from_entries(cls, entries: list[IndexedEntry], near: NearIndex | None = None) -> Matcher:
        """A matcher over ``entries`` (ids are positions); ``near`` is a saved PDQ index of them."""
        matcher = cls.__new__(cls)
        matcher._setup(entries, near)
        return matcher

    def _setup(self, entries: list[IndexedEntry], near: NearIndex | None) -> None:
        self.entries = entries
        by_type: dict[str, list[int]] = {}
        for ident, entry in enumerate(entries):
            by_type.setdefault(entry.signal_type, []).append(ident)
        self.exact: dict[str, ExactHashIndex] = {}
        for name in EXACT_SIGNAL_TYPES:
            ids = by_type.get(name, [])
            keys = _keys([entries[i].hash for i in ids], name)
            self.exact[name] = ExactHashIndex.build(name, np.array(ids, np.int64), keys)
        if near is None:
            pdq_ids = by_type.get(PdqSignal.name, [])
            kind = BruteForceIndex if len(pdq_ids) < BRUTE_FORCE_BELOW else MultiIndexHashIndex
            hexes = [entries[i].hash for i in pdq_ids]
            near = kind.build(np.array(pdq_ids, np.int64), hashes_from_hex(hexes))
        self.near: NearIndex = near
        thresholds = {e.threshold for e in entries if e.signal_type == PdqSignal.name}
        self.max_threshold = max(thresholds, default=PdqSignal.default_threshold)

    def __len__(self) -> int:
        return len(self.entries)

    def exact_matches(self, digests: Digests) -> list[Match]:
        found: list[Match] = []
        for name in EXACT_SIGNAL_TYPES:
            value: str = getattr(digests, name)
            for ident in self.exact[name].lookup(value):
                found.append(self._match(int(ident), 0, None))
        return found

    def near_matches(self, pdq: PdqHash, *, margin: int = 0) -> list[Match]:
        """Entries within their list's threshold (plus ``margin``) of any dihedral variant.

        Quality is not checked here: callers apply the quality rule to reference values.
        """
        variants = pdq.dihedral or (pdq.hash,)
        radius = min(256, self.max_threshold + margin)
        results = self.near.query_batch(hashes_from_hex(variants), radius)
        best: dict[int, tuple[int, int]] = {}
        for variant, (ids, distances) in enumerate(results):
            for ident, distance in zip(ids.tolist(), distances.tolist(), strict=True):
                if distance > self.entries[ident].threshold + margin:
                    continue
                if ident not in best or distance < best[ident][0]:
                    best[ident] = (distance, variant)
        named = list(Dihedral)
        return [
            self._match(ident, distance, named[variant].value if pdq.dihedral else None)
            for ident, (distance, variant) in sorted(best.items(), key=lambda kv: (kv[1][0], kv[0]))
        ]

    def _match(self, ident: int, distance: int, transform: str | None) -> Match:
        entry = self.entries[ident]
        return Match(entry.list, entry.signal_type, entry.hash, distance, entry.category, entry.id, transform)


def _keys(hexes: list[str], signal_type: str) -> HashBatch:
    return hashes_from_hex(hexes, SIGNAL_WIDTHS[signal_type])
