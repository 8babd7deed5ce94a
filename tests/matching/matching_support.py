"""Random PDQ-shaped data (never real hashes) and a plain oracle for the index tests."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sentinelle.matching import BatchMatches

Pairs = list[list[tuple[int, int]]]
U8 = npt.NDArray[np.uint8]


def random_hashes(rng: np.random.Generator, count: int) -> U8:
    return rng.integers(0, 256, size=(count, 32), dtype=np.uint8)


def flip_exactly(rng: np.random.Generator, hashes: U8, flips: npt.ArrayLike) -> U8:
    """A copy of ``hashes`` where row ``i`` has exactly ``flips[i]`` distinct bits flipped."""
    counts = np.broadcast_to(np.asarray(flips), (hashes.shape[0],))
    bits = np.unpackbits(hashes, axis=1)
    for row, count in enumerate(counts):
        bits[row, rng.permutation(256)[:count]] ^= 1
    return np.packbits(bits, axis=1)


def clustered_hashes(
    rng: np.random.Generator, families: int, largest: int, max_flips: int = 40
) -> U8:
    """Families of near-duplicates: a random centre and variants 1..max_flips bits away."""
    rows = []
    for _ in range(families):
        centre = random_hashes(rng, 1)
        size = int(rng.integers(1, largest + 1))
        variants = flip_exactly(
            rng, np.repeat(centre, size, axis=0), rng.integers(1, max_flips + 1, size)
        )
        rows.extend([centre, variants])
    return np.concatenate(rows)


def near_queries(rng: np.random.Generator, hashes: U8, max_distance: int = 40, each: int = 2) -> U8:
    """For every distance 0..max_distance, ``each`` queries that far from indexed hashes."""
    distances = np.repeat(np.arange(max_distance + 1), each)
    picked = hashes[rng.integers(0, hashes.shape[0], distances.shape[0])]
    return flip_exactly(rng, picked, distances)


def distance_matrix(queries: U8, hashes: U8) -> npt.NDArray[np.int32]:
    """Hamming distances, byte by byte: shares no code with the indexes under test."""
    out = np.empty((queries.shape[0], hashes.shape[0]), dtype=np.int32)
    for q in range(queries.shape[0]):
        out[q] = np.bitwise_count(hashes ^ queries[q]).sum(axis=1)
    return out


def oracle(ids: npt.NDArray[np.int64], distances: npt.NDArray[np.int32], threshold: int) -> Pairs:
    """Expected ``(id, distance)`` per query, sorted by distance then id."""
    expected = []
    for row in distances:
        (hit,) = np.nonzero(row <= threshold)
        expected.append(
            sorted(
                zip(ids[hit].tolist(), row[hit].tolist(), strict=True),
                key=lambda pair: (pair[1], pair[0]),
            )
        )
    return expected


def as_pairs(found: BatchMatches) -> Pairs:
    return [found.pairs(q) for q in range(len(found))]
