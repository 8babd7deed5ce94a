"""Exact multi-index hashing (MIH) for PDQ: fast, and never misses a hash within the threshold.

The index is a main :class:`~.segment.Segment` (chunk tables, tombstones for removed rows)
plus a small *delta* of recent additions that queries scan by brute force. ``compact()``
folds the delta in and drops tombstoned rows; it runs by itself when the delta outgrows
``delta_limit`` or tombstones pass a quarter of the main rows.
"""

from __future__ import annotations

import os
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from sentinelle.matching import kernels
from sentinelle.matching.exceptions import IndexFormatError
from sentinelle.matching.hashes import (
    PDQ_WORDS,
    HashBatch,
    Ids,
    Words,
    as_hash_batch,
    as_id_set,
    as_ids,
    check_threshold,
    pack_words,
)
from sentinelle.matching.interfaces import NearIndex
from sentinelle.matching.layout import ChunkLayout
from sentinelle.matching.results import BatchMatches
from sentinelle.matching.segment import Segment
from sentinelle.matching.storage import IndexKind, read_index, require, write_index

DEFAULT_DELTA_LIMIT = 1 << 15


class MultiIndexHashIndex(NearIndex):
    """PDQ near-duplicate index by exact multi-index hashing.

    ``chunks`` fixes how many chunks the 256 bits are cut into (11 or more); by default it
    follows the number of rows (about ``log2(rows)`` bits per chunk) and is chosen again at
    every compaction.
    """

    def __init__(self, *, chunks: int | None = None, delta_limit: int = DEFAULT_DELTA_LIMIT):
        if chunks is not None:
            ChunkLayout.even(chunks)  # raises ValueError early for an impossible layout
        if delta_limit < 0:
            raise ValueError("delta_limit must be >= 0")
        self._chunks = chunks
        self._delta_limit = delta_limit
        self._main = Segment.build(np.empty((0, PDQ_WORDS), np.uint64), np.empty(0, np.int64))
        self._delta_words: Words = np.empty((0, PDQ_WORDS), dtype=np.uint64)
        self._delta_ids: Ids = np.empty(0, dtype=np.int64)

    @classmethod
    def build(
        cls,
        ids: npt.ArrayLike,
        hashes: HashBatch,
        *,
        chunks: int | None = None,
        delta_limit: int = DEFAULT_DELTA_LIMIT,
    ) -> Self:
        """Index a whole list at once (no delta)."""
        index = cls(chunks=chunks, delta_limit=delta_limit)
        words = pack_words(as_hash_batch(hashes))
        index._main = Segment.build(words, as_ids(ids, words.shape[0]), chunks)
        return index

    @property
    def chunk_widths(self) -> tuple[int, ...]:
        """Bit widths of the main segment's chunks."""
        return self._main.layout.widths

    @property
    def pending(self) -> tuple[int, int]:
        """(rows waiting in the delta, tombstoned rows in the main segment)."""
        return int(self._delta_ids.shape[0]), self._main.dead_count

    @property
    def nbytes(self) -> int:
        """Bytes held by every array of the index."""
        return self._main.nbytes + int(self._delta_words.nbytes + self._delta_ids.nbytes)

    def add(self, ids: npt.ArrayLike, hashes: HashBatch) -> None:
        words = pack_words(as_hash_batch(hashes))
        new_ids = as_ids(ids, words.shape[0])
        self._delta_words = np.concatenate((self._delta_words, words))
        self._delta_ids = np.concatenate((self._delta_ids, new_ids))
        if self._delta_ids.shape[0] > self._delta_limit:
            self.compact()

    def remove(self, ids: npt.ArrayLike) -> int:
        wanted = as_id_set(ids)
        removed = self._main.kill(wanted)
        drop = np.isin(self._delta_ids, wanted)
        if drop.any():
            self._delta_words, self._delta_ids = self._delta_words[~drop], self._delta_ids[~drop]
            removed += int(drop.sum())
        if self._main.dead_count > max(self._delta_limit, self._main.rows // 4):
            self.compact()
        return removed

    def compact(self) -> None:
        if not self._delta_ids.shape[0] and not self._main.dead_count:
            return
        words, ids = self._main.live()
        words = np.concatenate((words, self._delta_words))
        ids = np.concatenate((ids, self._delta_ids))
        self._main = Segment.build(words, ids, self._chunks)
        self._delta_words = np.empty((0, PDQ_WORDS), dtype=np.uint64)
        self._delta_ids = np.empty(0, dtype=np.int64)

    def query_batch(self, hashes: HashBatch, threshold: int) -> BatchMatches:
        threshold = check_threshold(threshold)
        queries = pack_words(hashes)
        query, rows, distances = self._main.search(queries, threshold)
        ids = self._main.ids[rows]
        if self._delta_ids.shape[0]:
            alive = np.zeros(self._delta_ids.shape[0], dtype=np.uint8)
            more_query, more_rows, more_distances = kernels.scan(
                queries, self._delta_words, alive, threshold
            )
            query = np.concatenate((query, more_query))
            ids = np.concatenate((ids, self._delta_ids[more_rows]))
            distances = np.concatenate((distances, more_distances))
        return BatchMatches.from_hits(queries.shape[0], query, ids, distances)

    def __len__(self) -> int:
        return self._main.rows - self._main.dead_count + int(self._delta_ids.shape[0])

    def save(self, path: str | os.PathLike[str]) -> None:
        main = self._main
        params = {
            "chunk_widths": list(main.layout.widths),
            "chunks": self._chunks,
            "delta_limit": self._delta_limit,
        }
        arrays: dict[str, npt.NDArray[Any]] = {
            "words": main.words,
            "ids": main.ids,
            "dead": main.dead,
            "offsets": main.offsets,
            "postings": main.postings,
            "delta_words": self._delta_words,
            "delta_ids": self._delta_ids,
        }
        write_index(path, IndexKind.MIH_PDQ, params, arrays)

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], *, verify: bool = True, use_mmap: bool = True
    ) -> Self:
        """Read a saved index; with ``use_mmap`` the big arrays stay in the page cache."""
        found = read_index(path, IndexKind.MIH_PDQ, verify=verify, use_mmap=use_mmap)
        widths, chunks, delta_limit = _params(path, found.params)
        main = Segment.from_arrays(
            widths,
            require(path, found, "words", "uint64", 2),
            require(path, found, "ids", "int64", 1),
            require(path, found, "dead", "uint8", 1),
            require(path, found, "offsets", "uint32", 1),
            require(path, found, "postings", "uint32", 2),
        )
        delta_words = require(path, found, "delta_words", "uint64", 2)
        delta_ids = require(path, found, "delta_ids", "int64", 1)
        if delta_words.shape != (delta_ids.shape[0], PDQ_WORDS):
            raise IndexFormatError(f"{path}: delta words and ids disagree")
        index = cls(chunks=chunks, delta_limit=delta_limit)
        index._main = main
        index._delta_words, index._delta_ids = np.array(delta_words), np.array(delta_ids)
        return index


def _params(path: object, params: dict[str, Any]) -> tuple[tuple[int, ...], int | None, int]:
    try:
        widths = tuple(int(w) for w in params["chunk_widths"])
        chunks = None if params["chunks"] is None else int(params["chunks"])
        delta_limit = int(params["delta_limit"])
    except (KeyError, TypeError, ValueError):
        raise IndexFormatError(f"{path}: missing or malformed index parameters") from None
    try:
        if chunks is not None:
            ChunkLayout.even(chunks)
        if delta_limit < 0:
            raise ValueError(delta_limit)
    except ValueError:
        raise IndexFormatError(f"{path}: index parameters out of range") from None
    return widths, chunks, delta_limit
