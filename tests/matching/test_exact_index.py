"""The exact index (md5, sha1, sha256), compared with a plain dictionary."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.matching import ExactHashIndex, InvalidHashError, hashes_from_hex, hashes_to_hex

WIDTHS = {"md5": 16, "sha1": 20, "sha256": 32}


def expected_lookup(ids: np.ndarray, keys: np.ndarray, queries: np.ndarray) -> list[list[int]]:
    table: dict[bytes, list[int]] = defaultdict(list)
    for ident, key in zip(ids.tolist(), keys, strict=True):
        table[key.tobytes()].append(ident)
    return [sorted(table.get(q.tobytes(), [])) for q in queries]


def found_lists(index: ExactHashIndex, queries: np.ndarray) -> list[list[int]]:
    return [ids.tolist() for ids in index.lookup_batch(queries)]


def keys_with_shared_prefixes(rng: np.random.Generator, width: int, count: int) -> np.ndarray:
    """Random keys, many sharing their first 8 bytes (the binary-search prefix) with others."""
    keys = rng.integers(0, 256, (count, width), dtype=np.uint8)
    keys[count // 2 :, :8] = keys[: count - count // 2, :8]
    return keys


def build(
    signal: str, ids: np.ndarray, keys: np.ndarray, how: str, tmp_path: Path
) -> ExactHashIndex:
    if how == "built":
        return ExactHashIndex.build(signal, ids, keys)
    if how == "added":
        index = ExactHashIndex(signal, delta_limit=len(ids) // 3)
        for start in range(0, len(ids), 997):
            index.add(ids[start : start + 997], keys[start : start + 997])
        return index
    index = ExactHashIndex.build(signal, ids, keys)
    index.save(tmp_path / "exact.sntl")
    return ExactHashIndex.load(tmp_path / "exact.sntl", use_mmap=how == "mapped")


HOWS = ["built", "added", "mapped", "copied"]


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("signal", list(WIDTHS))
def test_lookups_match_a_dictionary(signal: str, how: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(31)
    keys = keys_with_shared_prefixes(rng, WIDTHS[signal], 10_000)
    keys[9000:9500] = keys[:500]  # the same key in several lists
    ids = np.arange(10_000, dtype=np.int64)
    ids[9500:] = ids[:500]  # the same id on several keys
    index = build(signal, ids, keys, how, tmp_path)
    assert len(index) == 10_000 and index.width == WIDTHS[signal]
    unknown = rng.integers(0, 256, (200, WIDTHS[signal]), dtype=np.uint8)
    near_miss = keys[:200].copy()
    near_miss[:, -1] ^= 1
    queries = np.concatenate([keys[::7], unknown, near_miss])
    assert found_lists(index, queries) == expected_lookup(ids, keys, queries)
    assert index.lookup(keys[3].tobytes().hex()) == [3, 9003]
    assert index.lookup(keys[3].tobytes()) == [3, 9003]
    assert index.lookup(unknown[0]) == []


@pytest.mark.parametrize("how", HOWS)
def test_remove_and_readd(how: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(32)
    keys = keys_with_shared_prefixes(rng, 20, 5000)
    ids = np.arange(5000, dtype=np.int64) // 3
    index = build("sha1", ids, keys, how, tmp_path)
    gone = np.unique(rng.choice(ids, 400))
    assert index.remove(gone) == int(np.isin(ids, gone).sum())
    assert index.remove(gone) == 0
    keep = ~np.isin(ids, gone)
    assert len(index) == int(keep.sum())
    assert found_lists(index, keys) == expected_lookup(ids[keep], keys[keep], keys)
    back = np.isin(ids, gone[:100])
    index.add(ids[back], keys[back])
    keep |= back
    assert found_lists(index, keys) == expected_lookup(ids[keep], keys[keep], keys)
    index.compact()
    assert found_lists(index, keys) == expected_lookup(ids[keep], keys[keep], keys)
    assert len(index) == int(keep.sum())


def test_empty_index_and_empty_batches() -> None:
    index = ExactHashIndex("sha256")
    assert len(index) == 0
    assert index.lookup("00" * 32) == []
    assert len(index.lookup_batch(np.empty((0, 32), np.uint8))) == 0
    assert index.lookup_batch(np.zeros((3, 32), np.uint8)).counts().tolist() == [0, 0, 0]


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(InvalidHashError):
        ExactHashIndex("pdq")
    with pytest.raises(InvalidHashError):
        ExactHashIndex("crc32")
    index = ExactHashIndex("md5")
    with pytest.raises(InvalidHashError):
        index.add([1], np.zeros((1, 20), np.uint8))
    with pytest.raises(InvalidHashError):
        index.add([1, 2], np.zeros((1, 16), np.uint8))
    with pytest.raises(InvalidHashError):
        index.lookup("xyz")
    with pytest.raises(InvalidHashError):
        index.lookup("00" * 20)
    with pytest.raises(InvalidHashError):
        index.add([1.5], np.zeros((1, 16), np.uint8))


def test_hex_round_trip() -> None:
    texts = ["d41d8cd98f00b204e9800998ecf8427e", "0123456789ABCDEF0123456789abcdef"]
    keys = hashes_from_hex(texts, 16)
    assert hashes_to_hex(keys) == [t.lower() for t in texts]
    with pytest.raises(InvalidHashError):
        hashes_from_hex(["d41d8cd98f00b204e9800998ecf8427"], 16)
    with pytest.raises(InvalidHashError):
        hashes_from_hex(["d41d8cd98f00b204 e9800998ecf8427e"[:32]], 16)
    assert hashes_from_hex([], 20).shape == (0, 20)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    signal=st.sampled_from(list(WIDTHS)),
    entries=st.lists(st.tuples(st.integers(0, 30), st.integers(-5, 5)), max_size=60),
    removed=st.lists(st.integers(-5, 5), max_size=4),
)
def test_random_small_lists(
    signal: str, entries: list[tuple[int, int]], removed: list[int]
) -> None:
    """Keys drawn from a tiny pool, so repeats and shared ids are the rule."""
    pool = np.random.default_rng(33).integers(0, 256, (31, WIDTHS[signal]), dtype=np.uint8)
    pool[16:, :8] = pool[:15, :8]
    keys = pool[[k for k, _ in entries]].reshape(-1, WIDTHS[signal])
    ids = np.array([i for _, i in entries], dtype=np.int64)
    index = ExactHashIndex(signal, delta_limit=10)
    index.add(ids, keys)
    index.remove(removed)
    keep = ~np.isin(ids, removed)
    assert found_lists(index, pool) == expected_lookup(ids[keep], keys[keep], pool)
