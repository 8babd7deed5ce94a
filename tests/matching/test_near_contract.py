"""The near-index contract, run against every implementation and compared with an oracle.

The oracle counts differing bits byte by byte; an index passes only if its (id, distance)
lists are exactly the oracle's, query by query, at every threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from conftest import Factory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching_support import (
    as_pairs,
    clustered_hashes,
    distance_matrix,
    flip_exactly,
    near_queries,
    oracle,
    random_hashes,
)

from sentinelle.matching import InvalidHashError, InvalidThresholdError, NearIndex

THRESHOLDS = [0, 1, 15, 31, 32, 40, 64]


def check_all_thresholds(
    index: NearIndex,
    ids: np.ndarray,
    hashes: np.ndarray,
    queries: np.ndarray,
    thresholds: Sequence[int] = THRESHOLDS,
) -> None:
    distances = distance_matrix(queries, hashes)
    for threshold in thresholds:
        found = index.query_batch(queries, threshold)
        assert len(found) == queries.shape[0]
        assert as_pairs(found) == oracle(ids, distances, threshold), f"threshold {threshold}"


def test_uniform_set_with_queries_at_every_distance(make_index: Factory) -> None:
    rng = np.random.default_rng(11)
    hashes = random_hashes(rng, 20_000)
    ids = rng.permutation(10 * len(hashes))[: len(hashes)].astype(np.int64)
    index = make_index(ids, hashes)
    assert len(index) == len(hashes)
    queries = np.concatenate([near_queries(rng, hashes, 40, each=2), random_hashes(rng, 20)])
    check_all_thresholds(index, ids, hashes, queries)


def test_clustered_families_of_near_duplicates(make_index: Factory) -> None:
    rng = np.random.default_rng(12)
    hashes = clustered_hashes(rng, families=300, largest=40)
    ids = np.arange(len(hashes), dtype=np.int64) * 3
    index = make_index(ids, hashes)
    queries = np.concatenate([near_queries(rng, hashes, 40, each=2), random_hashes(rng, 10)])
    check_all_thresholds(index, ids, hashes, queries)


def test_duplicate_hashes_come_back_under_every_id(make_index: Factory) -> None:
    rng = np.random.default_rng(13)
    base = random_hashes(rng, 500)
    hashes = np.concatenate([base, base[:100], base[:100], flip_exactly(rng, base[:50], 3)])
    ids = np.arange(len(hashes), dtype=np.int64)
    ids[-50:] = ids[:50]  # the same id on two different hashes too
    index = make_index(ids, hashes)
    check_all_thresholds(index, ids, hashes, base[:120], [0, 3, 31])
    found = index.query(base[0], 0)
    assert found == [(0, 0), (500, 0), (600, 0)]


def test_empty_index_answers_nothing(make_index: Factory) -> None:
    index = make_index(np.empty(0, np.int64), np.empty((0, 32), np.uint8))
    assert len(index) == 0
    queries = random_hashes(np.random.default_rng(14), 3)
    for threshold in (0, 31, 256):
        found = index.query_batch(queries, threshold)
        assert len(found) == 3 and found.counts().tolist() == [0, 0, 0]
    assert index.query_batch(np.empty((0, 32), np.uint8), 31).ids.size == 0


def test_threshold_256_returns_everything(make_index: Factory) -> None:
    rng = np.random.default_rng(15)
    hashes = random_hashes(rng, 300)
    ids = np.arange(300, dtype=np.int64)
    index = make_index(ids, hashes)
    check_all_thresholds(index, ids, hashes, hashes[:3], [100, 128, 255, 256])
    assert index.query_batch(hashes[:2], 256).counts().tolist() == [300, 300]


def test_removed_ids_never_come_back_and_readded_ones_do(make_index: Factory) -> None:
    rng = np.random.default_rng(16)
    hashes = clustered_hashes(rng, families=200, largest=20, max_flips=20)
    ids = np.arange(len(hashes), dtype=np.int64) // 2  # two entries per id
    index = make_index(ids, hashes)
    gone = np.unique(rng.choice(ids, 300))
    assert index.remove(gone) == int(np.isin(ids, gone).sum())
    assert index.remove(gone) == 0
    keep = ~np.isin(ids, gone)
    assert len(index) == int(keep.sum())
    queries = np.concatenate([hashes[np.isin(ids, gone)][:60], near_queries(rng, hashes, 32)])
    check_all_thresholds(index, ids[keep], hashes[keep], queries, [0, 31, 40])
    back = gone[:50]
    moved = flip_exactly(rng, hashes[np.isin(ids, back)], 5)
    index.add(ids[np.isin(ids, back)], moved)
    all_ids = np.concatenate([ids[keep], ids[np.isin(ids, back)]])
    all_hashes = np.concatenate([hashes[keep], moved])
    check_all_thresholds(index, all_ids, all_hashes, queries, [0, 31])
    index.compact()
    check_all_thresholds(index, all_ids, all_hashes, queries, [5, 31])
    assert len(index) == len(all_ids)


def test_single_query_accepts_hex_bytes_and_arrays(make_index: Factory) -> None:
    rng = np.random.default_rng(17)
    hashes = random_hashes(rng, 50)
    index = make_index(np.arange(50, dtype=np.int64) + 7, hashes)
    near = flip_exactly(rng, hashes[3:4], 9)[0]
    for form in (near, near.tobytes(), near.tobytes().hex(), near.tobytes().hex().upper()):
        assert index.query(form, 31) == [(10, 9)]
    assert index.query(near, 8) == []


@pytest.mark.parametrize("threshold", [-1, 257, 1.5, True, "31", None])
def test_bad_thresholds_are_refused(make_index: Factory, threshold: object) -> None:
    index = make_index(np.arange(3, dtype=np.int64), random_hashes(np.random.default_rng(1), 3))
    with pytest.raises(InvalidThresholdError):
        index.query_batch(np.zeros((1, 32), np.uint8), threshold)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad",
    [np.zeros((2, 31), np.uint8), np.zeros((2, 32), np.int64), np.zeros(32, np.uint8), [[0] * 32]],
)
def test_bad_batches_are_refused(make_index: Factory, bad: object) -> None:
    index = make_index(np.arange(3, dtype=np.int64), random_hashes(np.random.default_rng(1), 3))
    with pytest.raises(InvalidHashError):
        index.query_batch(bad, 31)  # type: ignore[arg-type]
    with pytest.raises(InvalidHashError):
        index.add([1, 2], bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidHashError):
        index.add([1], np.zeros((2, 32), np.uint8))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    families=st.integers(1, 40),
    largest=st.integers(1, 30),
    max_flips=st.integers(1, 64),
    threshold=st.integers(0, 80),
    extra=st.integers(0, 300),
)
def test_random_structured_sets_match_the_oracle(
    make_index: Factory,
    seed: int,
    families: int,
    largest: int,
    max_flips: int,
    threshold: int,
    extra: int,
) -> None:
    rng = np.random.default_rng(seed)
    hashes = np.concatenate(
        [clustered_hashes(rng, families, largest, max_flips), random_hashes(rng, extra)]
    )
    ids = rng.integers(0, 50, len(hashes)).astype(np.int64)  # many repeated ids
    index = make_index(ids, hashes)
    queries = np.concatenate(
        [near_queries(rng, hashes, max(threshold, 1) + 2, 1), random_hashes(rng, 2)]
    )
    check_all_thresholds(index, ids, hashes, queries, [threshold])
