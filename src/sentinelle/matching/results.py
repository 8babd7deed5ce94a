"""Result containers for batched queries, in compressed-row form (one row per query)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sentinelle.matching.hashes import Distances, Ids


def expand_ranges(starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> Ids:
    """Concatenate ``arange(starts[i], starts[i] + lengths[i])`` for every ``i``, vectorised."""
    total = int(lengths.sum())
    before = np.cumsum(lengths) - lengths
    rows: Ids = np.arange(total, dtype=np.int64) + np.repeat(starts - before, lengths)
    return rows


def _offsets(query_count: int, query: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    counts = np.bincount(query, minlength=query_count)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


@dataclass(frozen=True)
class BatchMatches:
    """Near matches of a batch: query ``q`` matched ``ids[offsets[q]:offsets[q + 1]]``.

    Within a query, matches are sorted by distance, then id. An entry indexed several times
    (same id, same hash) is returned as many times as it was indexed.
    """

    offsets: npt.NDArray[np.int64]
    ids: Ids
    distances: Distances

    @classmethod
    def from_hits(
        cls,
        query_count: int,
        query: npt.NDArray[np.int64],
        ids: Ids,
        distances: Distances,
    ) -> BatchMatches:
        order = np.lexsort((ids, distances, query))
        return cls(
            _offsets(query_count, query),
            np.ascontiguousarray(ids[order], dtype=np.int64),
            np.ascontiguousarray(distances[order], dtype=np.int32),
        )

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, query: int) -> tuple[Ids, Distances]:
        if not -len(self) <= query < len(self):
            raise IndexError(f"query {query} out of range for {len(self)} queries")
        query %= len(self)
        start, stop = self.offsets[query], self.offsets[query + 1]
        return self.ids[start:stop], self.distances[start:stop]

    def __iter__(self) -> Iterator[tuple[Ids, Distances]]:
        return (self[q] for q in range(len(self)))

    def counts(self) -> npt.NDArray[np.int64]:
        """How many matches each query has."""
        return np.diff(self.offsets)

    def pairs(self, query: int) -> list[tuple[int, int]]:
        """Matches of one query as ``(id, distance)`` tuples."""
        ids, distances = self[query]
        return list(zip(ids.tolist(), distances.tolist(), strict=True))


@dataclass(frozen=True)
class BatchLookup:
    """Exact matches of a batch: key ``q`` is held by ``ids[offsets[q]:offsets[q + 1]]``.

    Within a key, ids are ascending; an id attached to the key twice appears twice.
    """

    offsets: npt.NDArray[np.int64]
    ids: Ids

    @classmethod
    def from_hits(cls, query_count: int, query: npt.NDArray[np.int64], ids: Ids) -> BatchLookup:
        order = np.lexsort((ids, query))
        return cls(_offsets(query_count, query), np.ascontiguousarray(ids[order], np.int64))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, query: int) -> Ids:
        if not -len(self) <= query < len(self):
            raise IndexError(f"query {query} out of range for {len(self)} queries")
        query %= len(self)
        return self.ids[self.offsets[query] : self.offsets[query + 1]]

    def __iter__(self) -> Iterator[Ids]:
        return (self[q] for q in range(len(self)))

    def counts(self) -> npt.NDArray[np.int64]:
        return np.diff(self.offsets)
