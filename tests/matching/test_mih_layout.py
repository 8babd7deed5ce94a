"""Chunk layouts, probe plans and the compiled bit helpers, checked against plain Python."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_support import flip_exactly, random_hashes

from sentinelle.matching import kernels, pack_words, unpack_words
from sentinelle.matching.layout import (
    MAX_MASKS,
    ChunkLayout,
    default_chunk_count,
    flip_masks,
    keys_within,
    plan_probes,
)


def python_key(hash_bytes: bytes, start: int, width: int) -> int:
    value = int.from_bytes(hash_bytes, "big")
    return (value >> (256 - start - width)) & ((1 << width) - 1)


def test_words_are_big_endian_and_round_trip() -> None:
    hashes = random_hashes(np.random.default_rng(1), 20)
    words = pack_words(hashes)
    assert words.dtype == np.uint64 and words.shape == (20, 4)
    assert int(words[0, 0]) == int.from_bytes(hashes[0, :8].tobytes(), "big")
    assert np.array_equal(unpack_words(words), hashes)


@given(start=st.integers(0, 255), width=st.integers(1, 24), seed=st.integers(0, 1000))
def test_chunk_key_matches_python(start: int, width: int, seed: int) -> None:
    start = min(start, 256 - width)
    hashes = random_hashes(np.random.default_rng(seed), 4)
    words = pack_words(hashes)
    for row in range(4):
        expected = python_key(hashes[row].tobytes(), start, width)
        assert int(kernels.chunk_key(words, row, start, width)) == expected


@pytest.mark.parametrize("chunks", [11, 12, 13, 16, 21, 32])
def test_even_layouts_cover_every_bit_once(chunks: int) -> None:
    layout = ChunkLayout.even(chunks)
    assert sum(layout.widths) == 256 and len(layout.widths) == chunks
    assert max(layout.widths) - min(layout.widths) <= 1
    assert layout.starts.tolist() == [sum(layout.widths[:c]) for c in range(chunks)]
    assert layout.table_size == sum(2**w + 1 for w in layout.widths)


@pytest.mark.parametrize("widths", [(), (128, 128), (16,) * 15, (0, *(16,) * 16)])
def test_impossible_layouts_are_refused(widths: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        ChunkLayout(widths)


def test_default_chunk_count_follows_list_size() -> None:
    assert default_chunk_count(0) == 32
    assert default_chunk_count(50_000) == 16
    assert default_chunk_count(1_000_000) == 13
    assert default_chunk_count(10_000_000) == 11
    assert default_chunk_count(10**12) == 11


@pytest.mark.parametrize(("width", "radius"), [(8, 0), (8, 3), (16, 1), (23, 2), (24, 3), (5, 9)])
def test_flip_masks_are_every_key_within_the_radius(width: int, radius: int) -> None:
    masks = flip_masks(width, radius)
    assert len(masks) == keys_within(width, radius) == len(np.unique(masks))
    assert int(masks.max()) < 2**width
    assert int(np.bitwise_count(masks).max()) <= radius
    if width <= 16:
        every = np.arange(2**width, dtype=np.uint32)
        assert set(masks.tolist()) == set(every[np.bitwise_count(every) <= radius].tolist())


@pytest.mark.parametrize("chunks", [11, 13, 32])
@pytest.mark.parametrize("rows", [1000, 10**7])
def test_plans_satisfy_the_pigeonhole_bound(chunks: int, rows: int) -> None:
    layout = ChunkLayout.even(chunks)
    for threshold in range(257):
        plan = plan_probes(layout, threshold, rows)
        if plan is None:
            continue
        assert int((plan.radii + 1).sum()) >= threshold + 1
        assert len(plan.masks) <= MAX_MASKS
        for c, (width, radius) in enumerate(zip(layout.widths, plan.radii.tolist(), strict=True)):
            count = plan.mask_ptr[c + 1] - plan.mask_ptr[c]
            assert count == (keys_within(width, radius) if radius >= 0 else 0)


def test_threshold_31_at_ten_million_uses_radius_two_chunks() -> None:
    layout = ChunkLayout.for_rows(10**7)
    plan = plan_probes(layout, 31, 10**7)
    assert plan is not None
    assert sorted(plan.radii.tolist()) == [1] + [2] * 10
    assert len(plan.masks) < 3000


@settings(max_examples=200)
@given(
    seed=st.integers(0, 2**32 - 1),
    chunks=st.sampled_from([11, 13, 16, 32]),
    threshold=st.integers(0, 64),
)
def test_every_pair_within_the_threshold_meets_some_probe_radius(
    seed: int, chunks: int, threshold: int
) -> None:
    """The lemma itself: distance <= r implies some chunk differs by <= its radius."""
    layout = ChunkLayout.even(chunks)
    plan = plan_probes(layout, threshold, 1_000_000)
    if plan is None:
        return
    rng = np.random.default_rng(seed)
    base = random_hashes(rng, 8)
    moved = flip_exactly(rng, base, rng.integers(0, threshold + 1, 8))
    for a, b in zip(base, moved, strict=True):
        differ = [
            bin(python_key(a.tobytes(), s, w) ^ python_key(b.tobytes(), s, w)).count("1")
            for s, w in zip(layout.starts.tolist(), layout.widths, strict=True)
        ]
        assert any(d <= r for d, r in zip(differ, plan.radii.tolist(), strict=True))


def test_keys_within_is_a_binomial_sum() -> None:
    assert keys_within(16, 1) == 17
    assert keys_within(24, 2) == 1 + 24 + math.comb(24, 2)
    assert keys_within(8, 20) == 256
