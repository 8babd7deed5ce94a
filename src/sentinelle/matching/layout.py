"""How multi-index hashing cuts the 256 PDQ bits into chunks, and what to probe for a threshold.

Completeness rests on one inequality. Cut the hash into chunks ``c`` and give each a probe
radius ``t_c`` (``-1`` = not probed). If ``sum(t_c + 1) >= r + 1``, any hash within distance
``r`` of the query is within ``t_c`` of it on at least one chunk: otherwise each chunk would
differ in at least ``t_c + 1`` bits and the total distance would be at least ``r + 1``.
Probing every key within ``t_c`` of the query's key in every chunk therefore finds every hash
within ``r``, and the full distance check then removes the false candidates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import numpy.typing as npt

from sentinelle.matching.hashes import PDQ_BITS

MIN_CHUNKS = 11  # chunks of at most 24 bits: a table of at most 16 Mi offsets each
MAX_CHUNKS = 32  # chunks of at least 8 bits
MAX_WIDTH = 24

#: Relative costs used to plan a query: one table probe, one candidate check (both random
#: memory accesses, together ~13-20 ns per unit once the tables outgrow the caches), and one
#: row of a sequential brute-force scan (~0.9 ns). Measured on the benchmark machine: with
#: these weights the plan switches to a scan close to where the scan becomes faster.
COST_PROBE = 1.0
COST_CANDIDATE = 1.0
COST_SCAN_ROW = 0.0625
#: Never enumerate more probe keys than this for one query; scan instead.
MAX_MASKS = 1 << 21


def default_chunk_count(rows: int) -> int:
    """About ``log2(rows)`` bits per chunk, so each table bucket holds about one row."""
    bits_per_chunk = math.log2(max(rows, 2))
    return min(MAX_CHUNKS, max(MIN_CHUNKS, round(PDQ_BITS / bits_per_chunk)))


@dataclass(frozen=True)
class ChunkLayout:
    """Widths of consecutive chunks covering all 256 bits, most significant bit first."""

    widths: tuple[int, ...]

    def __post_init__(self) -> None:
        if sum(self.widths) != PDQ_BITS or not all(1 <= w <= MAX_WIDTH for w in self.widths):
            raise ValueError(f"chunk widths must be 1..{MAX_WIDTH} and sum to 256: {self.widths}")

    @classmethod
    def even(cls, chunks: int) -> ChunkLayout:
        """``chunks`` chunks whose widths differ by at most one bit, wider ones first."""
        if not 1 <= chunks <= PDQ_BITS:
            raise ValueError(f"chunk count must be between 1 and 256, got {chunks}")
        narrow, wider = divmod(PDQ_BITS, chunks)
        return cls(tuple(narrow + 1 if c < wider else narrow for c in range(chunks)))

    @classmethod
    def for_rows(cls, rows: int, chunks: int | None = None) -> ChunkLayout:
        return cls.even(default_chunk_count(rows) if chunks is None else chunks)

    @cached_property
    def starts(self) -> npt.NDArray[np.int64]:
        return np.cumsum((0, *self.widths[:-1]), dtype=np.int64)

    @cached_property
    def width_array(self) -> npt.NDArray[np.int64]:
        return np.asarray(self.widths, dtype=np.int64)

    @cached_property
    def table_base(self) -> npt.NDArray[np.int64]:
        """Where each chunk's ``2**width + 1`` offsets start in the shared offsets array."""
        sizes = [(1 << w) + 1 for w in self.widths]
        return np.cumsum((0, *sizes[:-1]), dtype=np.int64)

    @property
    def table_size(self) -> int:
        return sum((1 << w) + 1 for w in self.widths)


@dataclass(frozen=True)
class ProbePlan:
    """Per-chunk probe radii and the XOR masks that enumerate the keys to probe."""

    radii: npt.NDArray[np.int64]
    masks: npt.NDArray[np.uint32]
    mask_ptr: npt.NDArray[np.int64]


def keys_within(width: int, radius: int) -> int:
    """How many ``width``-bit keys lie within ``radius`` bits of a given key."""
    return sum(math.comb(width, k) for k in range(radius + 1))


def _chunk_cost(width: int, radius: int, rows: int) -> float:
    return keys_within(width, radius) * (COST_PROBE + COST_CANDIDATE * rows / (1 << width))


def plan_probes(layout: ChunkLayout, threshold: int, rows: int) -> ProbePlan | None:
    """Cheapest radii with ``sum(radius + 1) >= threshold + 1``; None when a scan is cheaper."""
    radii = [-1] * len(layout.widths)
    for _ in range(threshold + 1):
        step = [
            _chunk_cost(w, t + 1, rows) - _chunk_cost(w, t, rows)
            for w, t in zip(layout.widths, radii, strict=True)
        ]
        radii[int(np.argmin(step))] += 1
    probes = sum(keys_within(w, t) for w, t in zip(layout.widths, radii, strict=True))
    cost = sum(_chunk_cost(w, t, rows) for w, t in zip(layout.widths, radii, strict=True))
    if probes > MAX_MASKS or cost > COST_SCAN_ROW * rows:
        return None
    parts = [flip_masks(w, t) for w, t in zip(layout.widths, radii, strict=True)]
    mask_ptr = np.cumsum([0, *(len(p) for p in parts)], dtype=np.int64)
    masks = np.concatenate(parts) if parts else np.empty(0, np.uint32)
    return ProbePlan(np.asarray(radii, dtype=np.int64), masks, mask_ptr)


@lru_cache(maxsize=32)
def flip_masks(width: int, radius: int) -> npt.NDArray[np.uint32]:
    """Every ``width``-bit value with at most ``radius`` bits set, ascending by bit count."""
    levels = [np.zeros(1 if radius >= 0 else 0, dtype=np.uint32)]
    for _ in range(min(radius, width)):
        previous = levels[-1]
        # Extend each mask by one bit above its highest set bit: each combination once.
        grown = [
            previous[: np.searchsorted(previous, 1 << bit)] | np.uint32(1 << bit)
            for bit in range(width)
        ]
        levels.append(np.concatenate(grown))
    masks = np.concatenate(levels)
    masks.flags.writeable = False
    return masks
