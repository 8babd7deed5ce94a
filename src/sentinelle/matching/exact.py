"""Exact index for cryptographic hashes (md5, sha1, sha256): sorted keys and binary search.

Keys are sorted by their first eight bytes read as a big-endian ``uint64`` (the *prefix*),
so a batch lookup is two ``np.searchsorted`` calls over one flat integer array; the few
rows sharing a query's prefix are then compared in full. Like the near index, additions
wait in a small sorted delta and removals are tombstones until :meth:`compact`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from sentinelle.matching.exceptions import IndexFormatError, InvalidHashError
from sentinelle.matching.hashes import (
    EXACT_SIGNAL_TYPES,
    HashBatch,
    Ids,
    as_hash_batch,
    as_id_set,
    as_ids,
    signal_width,
)
from sentinelle.matching.interfaces import ExactIndex
from sentinelle.matching.results import BatchLookup, expand_ranges
from sentinelle.matching.storage import IndexKind, read_index, require, write_index

DEFAULT_DELTA_LIMIT = 1 << 16
Hits = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


def _prefix(keys: HashBatch) -> npt.NDArray[np.uint64]:
    return np.ascontiguousarray(keys[:, :8]).view(">u8").reshape(-1).astype(np.uint64)


@dataclass
class _SortedKeys:
    keys: HashBatch
    ids: Ids
    prefix: npt.NDArray[np.uint64]
    dead: npt.NDArray[np.uint8]
    _by_id: Ids | None = field(default=None, repr=False)

    @classmethod
    def build(cls, keys: HashBatch, ids: Ids) -> _SortedKeys:
        prefix = _prefix(keys)
        order = np.lexsort((ids, prefix))
        dead = np.zeros(keys.shape[0], dtype=np.uint8)
        return cls(keys[order], ids[order], prefix[order], dead)

    @property
    def rows(self) -> int:
        return int(self.ids.shape[0])

    def find(self, keys: HashBatch) -> Hits:
        """(query number, row) of every live row whose key equals a query key."""
        wanted = _prefix(keys)
        low = np.searchsorted(self.prefix, wanted, side="left")
        lengths = np.searchsorted(self.prefix, wanted, side="right") - low
        rows = expand_ranges(low, lengths)
        query = np.repeat(np.arange(keys.shape[0], dtype=np.int64), lengths)
        same = np.all(self.keys[rows] == keys[query], axis=1) & (self.dead[rows] == 0)
        return query[same], rows[same]

    def kill(self, ids: Ids) -> int:
        """Tombstone the live rows carrying one of ``ids`` (sorted); return how many."""
        if self._by_id is None:
            self._by_id = np.argsort(self.ids, kind="stable")
        sorted_ids = self.ids[self._by_id]
        low = np.searchsorted(sorted_ids, ids, side="left")
        rows = self._by_id[expand_ranges(low, np.searchsorted(sorted_ids, ids, "right") - low)]
        killed = int(np.count_nonzero(self.dead[rows] == 0))
        self.dead[rows] = 1
        return killed

    def live(self) -> tuple[HashBatch, Ids]:
        keep = self.dead == 0
        return self.keys[keep], self.ids[keep]


class ExactHashIndex(ExactIndex):
    """Fixed-width hashes of one signal type (``md5``, ``sha1`` or ``sha256``) to ids."""

    def __init__(self, signal_type: str, *, delta_limit: int = DEFAULT_DELTA_LIMIT) -> None:
        if signal_type not in EXACT_SIGNAL_TYPES:
            raise InvalidHashError(f"{signal_type!r} is not an exact-match signal type")
        if delta_limit < 0:
            raise ValueError("delta_limit must be >= 0")
        self.signal_type = signal_type
        self.width = signal_width(signal_type)
        self._delta_limit = delta_limit
        self._main = self._empty()
        self._delta = self._empty()

    def _empty(self) -> _SortedKeys:
        empty = np.empty((0, self.width), dtype=np.uint8)
        return _SortedKeys.build(empty, np.empty(0, dtype=np.int64))

    @classmethod
    def build(cls, signal_type: str, ids: npt.ArrayLike, keys: HashBatch, **options: int) -> Self:
        """Index a whole list at once."""
        index = cls(signal_type, **options)
        keys = as_hash_batch(keys, index.width)
        index._main = _SortedKeys.build(keys, as_ids(ids, keys.shape[0]))
        return index

    def add(self, ids: npt.ArrayLike, keys: HashBatch) -> None:
        keys = as_hash_batch(keys, self.width)
        new_ids = as_ids(ids, keys.shape[0])
        old_keys, old_ids = self._delta.live()
        self._delta = _SortedKeys.build(
            np.concatenate((old_keys, keys)), np.concatenate((old_ids, new_ids))
        )
        if self._delta.rows > self._delta_limit:
            self.compact()

    def remove(self, ids: npt.ArrayLike) -> int:
        wanted = as_id_set(ids)
        removed = self._main.kill(wanted) + self._delta.kill(wanted)
        if self._main.rows - self._live(self._main) > max(self._delta_limit, self._main.rows // 4):
            self.compact()
        return removed

    def compact(self) -> None:
        """Merge the delta into the main table and drop removed entries."""
        main_keys, main_ids = self._main.live()
        delta_keys, delta_ids = self._delta.live()
        self._main = _SortedKeys.build(
            np.concatenate((main_keys, delta_keys)), np.concatenate((main_ids, delta_ids))
        )
        self._delta = self._empty()

    def lookup_batch(self, keys: HashBatch) -> BatchLookup:
        keys = as_hash_batch(keys, self.width)
        query, rows = self._main.find(keys)
        more_query, more_rows = self._delta.find(keys)
        return BatchLookup.from_hits(
            keys.shape[0],
            np.concatenate((query, more_query)),
            np.concatenate((self._main.ids[rows], self._delta.ids[more_rows])),
        )

    @staticmethod
    def _live(table: _SortedKeys) -> int:
        return table.rows - int(np.count_nonzero(table.dead))

    def __len__(self) -> int:
        return self._live(self._main) + self._live(self._delta)

    @property
    def nbytes(self) -> int:
        tables = (self._main, self._delta)
        return sum(
            int(t.keys.nbytes + t.ids.nbytes + t.prefix.nbytes + t.dead.nbytes) for t in tables
        )

    def save(self, path: str | os.PathLike[str]) -> None:
        delta_keys, delta_ids = self._delta.live()
        params = {"signal_type": self.signal_type, "delta_limit": self._delta_limit}
        arrays: dict[str, npt.NDArray[Any]] = {
            "keys": self._main.keys,
            "ids": self._main.ids,
            "dead": self._main.dead,
            "delta_keys": delta_keys,
            "delta_ids": delta_ids,
        }
        write_index(path, IndexKind.EXACT, params, arrays)

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], *, verify: bool = True, use_mmap: bool = True
    ) -> Self:
        found = read_index(path, IndexKind.EXACT, verify=verify, use_mmap=use_mmap)
        try:
            params = found.params
            index = cls(str(params["signal_type"]), delta_limit=int(params["delta_limit"]))
        except (KeyError, TypeError, ValueError):
            raise IndexFormatError(f"{path}: missing or malformed index parameters") from None
        keys = require(path, found, "keys", "uint8", 2)
        ids = require(path, found, "ids", "int64", 1)
        dead = require(path, found, "dead", "uint8", 1)
        delta_keys = require(path, found, "delta_keys", "uint8", 2)
        delta_ids = require(path, found, "delta_ids", "int64", 1)
        if (
            keys.shape != (ids.shape[0], index.width)
            or dead.shape != ids.shape
            or delta_keys.shape != (delta_ids.shape[0], index.width)
        ):
            raise IndexFormatError(f"{path}: key, id and tombstone sections disagree")
        prefix = _prefix(keys)
        if np.any(prefix[1:] < prefix[:-1]):
            raise IndexFormatError(f"{path}: keys are not sorted")
        index._main = _SortedKeys(keys, ids, prefix, np.array(dead, dtype=np.uint8))
        index._delta = _SortedKeys.build(np.array(delta_keys), np.array(delta_ids))
        return index
