"""Every near-index implementation, built several ways, behind one factory fixture."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from matching_support import random_hashes

from sentinelle.matching import BruteForceIndex, MultiIndexHashIndex, NearIndex, layout

Factory = Callable[[np.ndarray, np.ndarray], NearIndex]

NEAR_KINDS = [
    "brute",
    "brute-loaded",
    "mih",
    "mih-12",
    "mih-13",
    "mih-32",
    "mih-probe-only",
    "mih-loaded",
    "mih-loaded-copy",
    "mih-incremental",
    "mih-delta",
]


def _incremental(ids: np.ndarray, hashes: np.ndarray) -> NearIndex:
    """Half built at once, the rest added in pieces (some compactions), junk added and removed."""
    rng = np.random.default_rng(len(ids))
    count = len(ids)
    half = count // 2
    index = MultiIndexHashIndex.build(ids[:half], hashes[:half], delta_limit=max(1, count // 8))
    junk_ids = -1 - np.arange(40)
    junk = random_hashes(rng, 40)
    index.add(junk_ids[:20], junk[:20])
    for start in range(half, count, max(1, count // 10)):
        stop = min(count, start + max(1, count // 10))
        index.add(ids[start:stop], hashes[start:stop])
    index.add(junk_ids[20:], junk[20:])
    index.remove(junk_ids)
    return index


@pytest.fixture(params=NEAR_KINDS)
def make_index(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Factory:
    kind: str = request.param
    files = (tmp_path / f"index-{n}.sntl" for n in itertools.count())

    def saved_and_loaded(index: NearIndex, **options: bool) -> NearIndex:
        path = next(files)
        index.save(path)
        return type(index).load(path, **options)

    if kind == "mih-probe-only":  # never fall back to a scan: exercise the probe loops
        monkeypatch.setattr(layout, "COST_SCAN_ROW", float("inf"))
    factories: dict[str, Factory] = {
        "brute": BruteForceIndex.build,
        "brute-loaded": lambda i, h: saved_and_loaded(BruteForceIndex.build(i, h)),
        "mih": MultiIndexHashIndex.build,
        "mih-12": lambda i, h: MultiIndexHashIndex.build(i, h, chunks=12),
        "mih-13": lambda i, h: MultiIndexHashIndex.build(i, h, chunks=13),
        "mih-32": lambda i, h: MultiIndexHashIndex.build(i, h, chunks=32),
        "mih-probe-only": lambda i, h: MultiIndexHashIndex.build(i, h, chunks=16),
        "mih-loaded": lambda i, h: saved_and_loaded(_incremental(i, h)),
        "mih-loaded-copy": lambda i, h: saved_and_loaded(_incremental(i, h), use_mmap=False),
        "mih-incremental": _incremental,
        "mih-delta": _delta_only,
    }
    return factories[kind]


def _delta_only(ids: np.ndarray, hashes: np.ndarray) -> NearIndex:
    index = MultiIndexHashIndex(delta_limit=1 << 30)
    index.add(ids, hashes)
    return index
