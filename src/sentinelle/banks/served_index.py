"""The serving index: one folder the API's web workers memory-map, so N workers share its pages.

The crawler's saved matcher (:mod:`sentinelle.engine.store`) keeps its entries as JSON lines,
which every process parses into Python objects: fine for a crawler, gigabytes per worker at
ten million hashes. This folder keeps every column in the matching package's checksummed
index format instead, and every file is opened with ``mmap``:

* ``entries.sntl`` (kind ENTRIES): per entry its list, category, signal type, row in the key
  table of its signal type and stored entry id (a UTF-8 blob and end offsets), plus one key
  table per signal type (``keys_pdq`` is ``(n, 32)`` bytes...);
* ``pdq.sntl``: a :class:`~sentinelle.matching.MultiIndexHashIndex` over ``keys_pdq``;
  ``md5.sntl``, ``sha1.sntl``, ``sha256.sntl``: :class:`~sentinelle.matching.ExactHashIndex`;
* ``manifest.json``: format, generation stamp, the lists (name, category, verified, threshold)
  and the category names.

:class:`ServedMatcher` is a :class:`~sentinelle.engine.matcher.Matcher` over these arrays: the
verdicts are the engine's own (same indexes, same thresholds), entries are materialised only
for the hits.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt

from sentinelle.banks.served_table import EntryTable, ListInfo
from sentinelle.engine.matcher import Matcher
from sentinelle.hashing import PdqSignal
from sentinelle.matching import (
    EXACT_SIGNAL_TYPES,
    SIGNAL_WIDTHS,
    ExactHashIndex,
    IndexFormatError,
    MultiIndexHashIndex,
)
from sentinelle.matching.storage import IndexKind, read_index, require, write_index

FORMAT: Final = 1
SIGNALS: Final = ("pdq", *EXACT_SIGNAL_TYPES)
#: Which (list, category) pairs a caller may see: ``policy(list, category)``.
Policy = Callable[[ListInfo, str | None], bool]


@dataclass(frozen=True)
class EntryColumns:
    """Everything the entry table holds, as arrays (entry ``i`` is row ``i`` of each)."""

    list_code: npt.NDArray[np.int32]
    category_code: npt.NDArray[np.int32]  #: -1: no category
    signal_code: npt.NDArray[np.uint8]  #: position in SIGNALS
    row: npt.NDArray[np.int64]  #: row in ``keys[signal]``
    id_end: npt.NDArray[np.int64]  #: entry ids: ``id_blob[id_end[i-1]:id_end[i]]`` (empty: none)
    id_blob: npt.NDArray[np.uint8]
    keys: dict[str, npt.NDArray[np.uint8]]  #: per signal type, ``(n, width)`` bytes


def write_served(folder: Path, columns: EntryColumns, *, lists: list[ListInfo], categories: list[str],
                 generation: str) -> None:
    """Write a complete serving index into ``folder`` (new or empty; the caller swaps it in)."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, npt.NDArray[Any]] = {
        "list": columns.list_code, "category": columns.category_code, "signal": columns.signal_code,
        "row": columns.row, "id_end": columns.id_end, "id_blob": columns.id_blob,
    }
    for code, name in enumerate(SIGNALS):
        keys = columns.keys.get(name, np.empty((0, SIGNAL_WIDTHS[name]), np.uint8))
        arrays[f"keys_{name}"] = keys
        ids = np.flatnonzero(columns.signal_code == code).astype(np.int64)
        ordered = keys[columns.row[ids]] if ids.size else keys[:0]
        if name == PdqSignal.name:
            MultiIndexHashIndex.build(ids, ordered).save(folder / "pdq.sntl")
        else:
            ExactHashIndex.build(name, ids, ordered).save(folder / f"{name}.sntl")
    write_index(folder / "entries.sntl", IndexKind.ENTRIES, {}, arrays)
    pdq_lists = np.unique(columns.list_code[columns.signal_code == 0])
    thresholds = [lists[int(c)].threshold for c in pdq_lists]
    manifest = {
        "format": FORMAT, "generation": generation, "entries": int(columns.list_code.shape[0]),
        "lists": [info.as_dict() for info in lists], "categories": categories,
        "max_threshold": max(thresholds, default=PdqSignal.default_threshold),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise IndexFormatError(f"{folder}: no readable manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexFormatError(f"{folder}: not a serving index of format {FORMAT}")
    return manifest


def load_served(folder: Path, *, verify: bool = True) -> ServedMatcher:
    """Memory-map a serving index; a damaged or foreign folder raises :class:`IndexFormatError`."""
    manifest = read_manifest(folder)
    try:
        lists = [ListInfo.from_dict(item) for item in manifest["lists"]]
        categories = [str(c) for c in manifest["categories"]]
        generation, max_threshold = str(manifest["generation"]), int(manifest["max_threshold"])
    except (KeyError, TypeError, ValueError):
        raise IndexFormatError(f"{folder}: malformed manifest") from None
    found = read_index(folder / "entries.sntl", IndexKind.ENTRIES, verify=verify, use_mmap=True)
    path = folder / "entries.sntl"
    columns = EntryColumns(
        require(path, found, "list", "int32", 1), require(path, found, "category", "int32", 1),
        require(path, found, "signal", "uint8", 1), require(path, found, "row", "int64", 1),
        require(path, found, "id_end", "int64", 1), require(path, found, "id_blob", "uint8", 1),
        {name: require(path, found, f"keys_{name}", "uint8", 2) for name in SIGNALS},
    )
    table = EntryTable(columns.list_code, columns.category_code, columns.signal_code, columns.row,
                       columns.id_end, columns.id_blob, columns.keys, lists=lists, categories=categories,
                       signals=SIGNALS)
    if len(table) != manifest.get("entries"):
        raise IndexFormatError(f"{folder}: {len(table)} entries, the manifest says {manifest.get('entries')}")
    table.check()
    near = MultiIndexHashIndex.load(folder / "pdq.sntl", verify=verify, use_mmap=True)
    exact = {name: ExactHashIndex.load(folder / f"{name}.sntl", verify=verify, use_mmap=True)
             for name in EXACT_SIGNAL_TYPES}
    return ServedMatcher(table, near, exact, generation=generation, max_threshold=max_threshold)


class Hit(NamedTuple):
    """A listed entry a looked-up hash matched."""

    list: str
    category: str | None
    signal_type: str
    distance: int


class ServedMatcher(Matcher):
    """The engine's matcher over a memory-mapped serving index, plus batch look-ups for the API."""

    def __init__(self, table: EntryTable, near: MultiIndexHashIndex, exact: dict[str, ExactHashIndex],
                 *, generation: str, max_threshold: int) -> None:
        self.entries = self.table = table
        self.near = near
        self.exact = exact
        self.max_threshold = max_threshold
        self.generation = generation
        self.lists = {info.name: info for info in table.lists}
        self._masks: dict[Policy, npt.NDArray[np.bool_]] = {}

    def lookup(self, signal_type: str, keys: npt.NDArray[np.uint8], policy: Policy) -> list[list[Hit]]:
        """For each key of one signal type, its matches that ``policy`` lets through.

        PDQ keys match as given (no dihedral variants) within each list's threshold; the other
        signal types match exactly (distance 0). Hits come sorted by distance, then entry.
        """
        if signal_type == PdqSignal.name:
            found = self.near.query_batch(keys, self.max_threshold)
            offsets, ids, distances = found.offsets, found.ids, found.distances
            keep = distances <= self.table.thresholds(ids)
        else:
            looked = self.exact[signal_type].lookup_batch(keys)
            offsets, ids = looked.offsets, looked.ids
            distances = np.zeros(ids.shape, np.int32)
            keep = np.ones(ids.shape, bool)
        list_codes, category_codes = self.table.list_code[ids], self.table.category_code[ids]
        keep &= self._mask(policy)[list_codes, category_codes + 1]
        query = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))[keep]
        names = [info.name for info in self.table.lists]
        labels: list[str | None] = [*self.table.categories, None]  # code -1 is the last one
        answers: list[list[Hit]] = [[] for _ in range(len(offsets) - 1)]
        for q, code, label, distance in zip(query.tolist(), list_codes[keep].tolist(),
                                            category_codes[keep].tolist(), distances[keep].tolist(), strict=True):
            answers[q].append(Hit(names[code], labels[label], signal_type, distance))
        return answers

    def _mask(self, policy: Policy) -> npt.NDArray[np.bool_]:
        """``mask[list, category + 1]``: whether ``policy`` lets that pair through."""
        if policy not in self._masks:
            names: list[str | None] = [None, *self.table.categories]
            self._masks[policy] = np.array(
                [[policy(info, name) for name in names] for info in self.table.lists], dtype=bool
            ).reshape(len(self.table.lists), len(names))
        return self._masks[policy]
