"""Brute-force PDQ index: compare the query with every row.

Plain numpy on purpose: it shares no code with the compiled kernels, so it serves as the
reference the contract tests hold every other near index to. It is also a sound choice for
lists of a few tens of thousands of hashes.
"""

from __future__ import annotations

import os
from typing import Self

import numpy as np
import numpy.typing as npt

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
from sentinelle.matching.results import BatchMatches
from sentinelle.matching.storage import IndexKind, read_index, require, write_index

#: Upper bound on the uint64 cells of the temporary (queries x rows x 4) XOR block.
_BLOCK_CELLS = 1 << 22


class BruteForceIndex(NearIndex):
    """Every entry in two flat arrays; a query costs one pass over all of them."""

    def __init__(self) -> None:
        self._words: Words = np.empty((0, PDQ_WORDS), dtype=np.uint64)
        self._ids: Ids = np.empty(0, dtype=np.int64)

    @classmethod
    def build(cls, ids: npt.ArrayLike, hashes: HashBatch) -> Self:
        index = cls()
        index.add(ids, hashes)
        return index

    def add(self, ids: npt.ArrayLike, hashes: HashBatch) -> None:
        hashes = as_hash_batch(hashes)
        new_ids = as_ids(ids, hashes.shape[0])
        self._words = np.concatenate((self._words, pack_words(hashes)))
        self._ids = np.concatenate((self._ids, new_ids))

    def remove(self, ids: npt.ArrayLike) -> int:
        drop = np.isin(self._ids, as_id_set(ids))
        self._words, self._ids = self._words[~drop], self._ids[~drop]
        return int(drop.sum())

    def query_batch(self, hashes: HashBatch, threshold: int) -> BatchMatches:
        threshold = check_threshold(threshold)
        queries = pack_words(hashes)
        rows = max(1, self._words.shape[0])
        step = max(1, _BLOCK_CELLS // (rows * PDQ_WORDS))
        found_q, found_row, found_d = [], [], []
        for start in range(0, queries.shape[0], step):
            block = queries[start : start + step]
            xor = block[:, None, :] ^ self._words[None, :, :]
            distances = np.bitwise_count(xor).sum(axis=2, dtype=np.int32)
            q, row = np.nonzero(distances <= threshold)
            found_q.append(q + start)
            found_row.append(row)
            found_d.append(distances[q, row])
        if not found_q:
            empty = np.empty(0, dtype=np.int64)
            return BatchMatches.from_hits(0, empty, empty, np.empty(0, dtype=np.int32))
        rows_hit = np.concatenate(found_row)
        return BatchMatches.from_hits(
            queries.shape[0],
            np.concatenate(found_q).astype(np.int64),
            self._ids[rows_hit],
            np.concatenate(found_d).astype(np.int32),
        )

    def __len__(self) -> int:
        return int(self._ids.shape[0])

    @property
    def nbytes(self) -> int:
        """Bytes held by the index arrays."""
        return int(self._words.nbytes + self._ids.nbytes)

    def save(self, path: str | os.PathLike[str]) -> None:
        write_index(path, IndexKind.BRUTE_PDQ, {}, {"words": self._words, "ids": self._ids})

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, verify: bool = True) -> Self:
        found = read_index(path, IndexKind.BRUTE_PDQ, verify=verify, use_mmap=False)
        words = require(path, found, "words", "uint64", 2)
        ids = require(path, found, "ids", "int64", 1)
        if words.shape != (ids.shape[0], PDQ_WORDS):
            raise IndexFormatError(f"{path}: words {words.shape} do not match {ids.shape} ids")
        index = cls()
        index._words, index._ids = words, ids
        return index
