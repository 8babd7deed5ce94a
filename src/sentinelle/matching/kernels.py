"""Compiled (numba) building blocks for the PDQ indexes, and the brute-force scan.

Every function takes hashes packed as ``(N, 4)`` ``uint64`` words (see :mod:`.hashes`).
A *chunk* is a run of ``width`` consecutive bits starting at bit ``start`` of the 256-bit
hash, most significant bit first; its value is the chunk's *key*. Searches return three
parallel arrays (query number, row number, distance) in no particular order.

Two habits make these loops fast, both measured: a loop that only reads and counts runs
several times faster than one that may also grow an output array, so hits are counted first
and recorded in a second, rare pass; and indices are unsigned or loops start at 0, because
numba guards each access through a possibly negative index with a wraparound check that
blocks vectorisation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt
from numba.core import types
from numba.extending import intrinsic

from sentinelle.matching.hashes import Words

F = TypeVar("F", bound=Callable[..., Any])
Hits = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int32]]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
Mask = npt.NDArray[np.uint8]
Index = int | np.uint64

#: Rows scanned together by the brute-force loop, so a tile stays in L2 across queries.
SCAN_TILE = 8192


def jit(function: F) -> F:
    """Compile ``function`` in nopython mode, cached on disk, releasing the GIL."""
    return cast(F, numba.njit(cache=True, nogil=True, error_model="numpy")(function))


def _popcount_intrinsic(typingctx: Any, value: Any) -> Any:
    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return types.int64(types.uint64), codegen


#: Number of set bits of a uint64, compiled to one ``popcnt`` instruction.
popcount = cast(Callable[[Any], int], intrinsic(_popcount_intrinsic))


@jit
def chunk_key(words: Words, row: Index, start: int, width: int) -> np.uint64:
    """Value of the ``width``-bit chunk at bit ``start`` of hash ``row`` (width <= 32)."""
    index = np.uint64(start >> 6)  # unsigned: no wraparound check on the access
    offset = start & 63
    end = offset + width
    one = np.uint64(1)
    if end <= 64:
        key: np.uint64 = (words[row, index] >> np.uint64(64 - end)) & (
            (one << np.uint64(width)) - one
        )
        return key
    low = end - 64
    high = words[row, index] & ((one << np.uint64(64 - offset)) - one)
    key = (high << np.uint64(low)) | (words[row, index + one] >> np.uint64(64 - low))
    return key


@jit
def hamming(a: Words, i: Index, b: Words, j: Index) -> int:
    """Hamming distance between row ``i`` of ``a`` and row ``j`` of ``b``."""
    return (
        popcount(a[i, 0] ^ b[j, 0])
        + popcount(a[i, 1] ^ b[j, 1])
        + popcount(a[i, 2] ^ b[j, 2])
        + popcount(a[i, 3] ^ b[j, 3])
    )


@jit
def grow_hits(hit_q: I64, hit_row: I64, hit_d: npt.NDArray[np.int32]) -> Hits:
    """The three hit arrays, copied into arrays twice as long."""
    size = hit_q.shape[0] * 2
    new_q = np.empty(size, np.int64)
    new_row = np.empty(size, np.int64)
    new_d = np.empty(size, np.int32)
    new_q[: hit_q.shape[0]] = hit_q
    new_row[: hit_q.shape[0]] = hit_row
    new_d[: hit_q.shape[0]] = hit_d
    return new_q, new_row, new_d


@jit
def _count_within(tile: Words, q0: Any, q1: Any, q2: Any, q3: Any, threshold: int) -> int:
    """How many rows of ``tile`` lie within ``threshold`` of the query words.

    The loop runs from 0 over a slice on purpose: with a signed index that might be negative,
    numba keeps a wraparound check that stops LLVM from vectorising the loop (5x slower).
    """
    matches = 0
    for row in range(tile.shape[0]):
        distance = (
            popcount(tile[row, 0] ^ q0)
            + popcount(tile[row, 1] ^ q1)
            + popcount(tile[row, 2] ^ q2)
            + popcount(tile[row, 3] ^ q3)
        )
        if distance <= threshold:
            matches += 1
    return matches


@jit
def scan(queries: Words, words: Words, dead: Mask, threshold: int) -> Hits:
    """Brute force: every live row within ``threshold`` of every query.

    Rows are taken a tile at a time (the tile stays in L2 across the queries). For each tile
    and query a first pass only counts matches; a loop without stores vectorises, and most
    tiles match nothing. Only tiles with a match are walked again to record the hits.
    """
    hit_q = np.empty(1024, np.int64)
    hit_row = np.empty(1024, np.int64)
    hit_d = np.empty(1024, np.int32)
    count = 0
    for start in range(0, words.shape[0], SCAN_TILE):
        tile = words[start : start + SCAN_TILE]
        for q in range(queries.shape[0]):
            q0, q1, q2, q3 = queries[q, 0], queries[q, 1], queries[q, 2], queries[q, 3]
            if _count_within(tile, q0, q1, q2, q3, threshold) == 0:
                continue
            for row in range(start, start + tile.shape[0]):
                distance = hamming(words, row, queries, q)
                if distance <= threshold and dead[row] == 0:
                    if count == hit_q.shape[0]:
                        hit_q, hit_row, hit_d = grow_hits(hit_q, hit_row, hit_d)
                    hit_q[count] = q
                    hit_row[count] = row
                    hit_d[count] = distance
                    count += 1
    return hit_q[:count], hit_row[:count], hit_d[:count]
