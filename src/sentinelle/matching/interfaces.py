"""What every index promises: the contract the tests run against each implementation."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from typing import Self

import numpy.typing as npt

from sentinelle.matching.hashes import HashBatch, HashLike, as_one_hash
from sentinelle.matching.results import BatchLookup, BatchMatches


class NearIndex(ABC):
    """PDQ hashes (``(N, 32)`` uint8 batches) with caller-chosen int64 ids, by Hamming distance.

    Entries are ``(id, hash)`` pairs: a hash may carry several ids and an id several hashes.
    Queries never miss: they return every live entry within the threshold.
    """

    signal_type = "pdq"

    @abstractmethod
    def add(self, ids: npt.ArrayLike, hashes: HashBatch) -> None:
        """Index ``hashes[i]`` under ``ids[i]``."""

    @abstractmethod
    def remove(self, ids: npt.ArrayLike) -> int:
        """Drop every entry carrying one of ``ids``; return how many entries were dropped."""

    @abstractmethod
    def query_batch(self, hashes: HashBatch, threshold: int) -> BatchMatches:
        """For each query row, every entry at Hamming distance ``<= threshold``."""

    def query(self, hash: HashLike, threshold: int) -> list[tuple[int, int]]:
        """``(id, distance)`` of every entry within ``threshold`` of one hash (hex, bytes, array).

        Sorted by distance, then id.
        """
        return self.query_batch(as_one_hash(hash), threshold).pairs(0)

    def compact(self) -> None:  # noqa: B027 - optional hook, nothing to do by default
        """Fold pending additions and removals into the main structure."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of live entries."""

    @abstractmethod
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index to ``path`` atomically."""

    @classmethod
    @abstractmethod
    def load(cls, path: str | os.PathLike[str], *, verify: bool = True) -> Self:
        """Read an index written by :meth:`save`; ``verify=False`` skips the checksum."""


class ExactIndex(ABC):
    """Fixed-width cryptographic hashes (md5, sha1, sha256) mapped to int64 ids."""

    signal_type: str
    width: int

    @abstractmethod
    def add(self, ids: npt.ArrayLike, keys: HashBatch) -> None:
        """Attach ``ids[i]`` to ``keys[i]`` (an ``(N, width)`` uint8 batch)."""

    @abstractmethod
    def remove(self, ids: npt.ArrayLike) -> int:
        """Drop every entry carrying one of ``ids``; return how many entries were dropped."""

    @abstractmethod
    def lookup_batch(self, keys: HashBatch) -> BatchLookup:
        """For each key, every id attached to it."""

    def lookup(self, key: HashLike) -> list[int]:
        """Ids attached to one key (hex, bytes or array), ascending."""
        return [int(i) for i in self.lookup_batch(as_one_hash(key, self.width))[0]]

    @abstractmethod
    def __len__(self) -> int:
        """Number of live entries."""

    @abstractmethod
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index to ``path`` atomically."""

    @classmethod
    @abstractmethod
    def load(cls, path: str | os.PathLike[str], *, verify: bool = True) -> Self:
        """Read an index written by :meth:`save`; ``verify=False`` skips the checksum."""
