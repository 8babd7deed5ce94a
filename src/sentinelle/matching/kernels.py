"""Compiled (numba) loops for the PDQ near-duplicate indexes.

Every function takes hashes packed as ``(N, 4)`` ``uint64`` words (see :mod:`.hashes`).
A *chunk* is a run of ``width`` consecutive bits starting at bit ``start`` of the 256-bit
hash, most significant bit first; its value is the chunk's *key*. Results come back as three
parallel arrays (query number, row number, distance) in no particular order.
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
def _distance(a: Words, i: Index, b: Words, j: Index) -> int:
    return (
        popcount(a[i, 0] ^ b[j, 0])
        + popcount(a[i, 1] ^ b[j, 1])
        + popcount(a[i, 2] ^ b[j, 2])
        + popcount(a[i, 3] ^ b[j, 3])
    )


@jit
def _grow(hit_q: I64, hit_row: I64, hit_d: npt.NDArray[np.int32]) -> Hits:
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
                distance = _distance(words, row, queries, q)
                if distance <= threshold and dead[row] == 0:
                    if count == hit_q.shape[0]:
                        hit_q, hit_row, hit_d = _grow(hit_q, hit_row, hit_d)
                    hit_q[count] = q
                    hit_row[count] = row
                    hit_d[count] = distance
                    count += 1
    return hit_q[:count], hit_row[:count], hit_d[:count]


@jit
def build_postings(
    words: Words, starts: I64, widths: I64, table_base: I64, offsets: U32, postings: U32
) -> None:
    """Fill per-chunk CSR tables by counting sort.

    For chunk ``c`` with key ``k``, the rows holding ``k`` are
    ``postings[c, offsets[table_base[c] + k] : offsets[table_base[c] + k + 1]]``, ascending.
    """
    rows = words.shape[0]
    keys = np.empty(rows, np.uint64)
    one = np.uint64(1)
    for c in range(starts.shape[0]):
        size = 1 << widths[c]
        table = offsets[table_base[c] : table_base[c] + size + 1]
        table[:] = 0
        for row in range(rows):
            key = chunk_key(words, row, starts[c], widths[c])
            keys[row] = key
            table[key + one] += 1
        for k in range(size):
            table[k + 1] += table[k]
        cursor = table[:size].copy()
        column = postings[c]
        for row in range(rows):
            key = keys[row]
            column[cursor[key]] = row
            cursor[key] += 1


@jit
def _gather(
    queries: Words,
    q: int,
    postings: U32,
    offsets: U32,
    table_base: I64,
    starts: I64,
    widths: I64,
    masks: U32,
    mask_ptr: I64,
    query_keys: npt.NDArray[np.uint64],
    bounds: I64,
    candidates: I64,
    candidate_ptr: I64,
) -> I64:
    """Collect the rows in every probed bucket of query ``q``; return the candidate buffer.

    Candidates from chunk ``c`` end up in ``candidates[candidate_ptr[c]:candidate_ptr[c+1]]``.
    The loops are written so that their memory reads do not depend on each other and the
    processor can overlap the cache misses. Indices are unsigned on purpose: numba guards
    every access through a signed index it cannot prove non-negative with a wraparound
    check, and those checks cost about a third of the query time here.
    """
    one, two = np.uint64(1), np.uint64(2)
    chunks = starts.shape[0]
    for c in range(chunks):
        query_keys[c] = chunk_key(queries, q, starts[c], widths[c])
    for c in range(chunks):
        base = np.uint64(table_base[c])
        for m in range(np.uint64(mask_ptr[c]), np.uint64(mask_ptr[c + 1])):
            key = base + (query_keys[c] ^ np.uint64(masks[m]))
            bounds[two * m] = offsets[key]
            bounds[two * m + one] = offsets[key + one]
    total = 0
    for m in range(np.uint64(mask_ptr[chunks])):
        total += bounds[two * m + one] - bounds[two * m]
    if total > candidates.shape[0]:
        candidates = np.empty(2 * total, np.int64)
    last = postings.shape[1] - 1  # >= 0: callers never probe an empty segment
    n = 0
    for c in range(chunks):
        candidate_ptr[c] = n
        # Most buckets hold 0 or 1 rows: take each bucket's first slot without branching
        # (kept only if the bucket is not empty), then the rest of the longer buckets.
        for m in range(np.uint64(mask_ptr[c]), np.uint64(mask_ptr[c + 1])):
            low, high = bounds[two * m], bounds[two * m + one]
            candidates[np.uint64(n)] = postings[c, np.uint64(min(low, last))]
            n += high > low
        for m in range(np.uint64(mask_ptr[c]), np.uint64(mask_ptr[c + 1])):
            for p in range(bounds[two * m] + 1, bounds[two * m + one]):
                candidates[np.uint64(n)] = postings[c, np.uint64(p)]
                n += 1
    candidate_ptr[chunks] = n
    return candidates


@jit
def probe(
    queries: Words,
    words: Words,
    dead: Mask,
    postings: U32,
    offsets: U32,
    table_base: I64,
    starts: I64,
    widths: I64,
    radii: I64,
    masks: U32,
    mask_ptr: I64,
    threshold: int,
) -> Hits:
    """Multi-index hashing: probe each chunk's table at every key within its radius.

    Chunk ``c`` is probed at ``key(query) ^ masks[mask_ptr[c]:mask_ptr[c + 1]]`` (every mask
    with at most ``radii[c]`` bits set; ``radii[c] < 0`` means not probed). Each candidate is
    verified with the full distance. A hit is reported only by the first chunk that can see it,
    so every row comes back at most once per query.
    """
    chunks = starts.shape[0]
    hit_q = np.empty(1024, np.int64)
    hit_row = np.empty(1024, np.int64)
    hit_d = np.empty(1024, np.int32)
    count = 0
    query_keys = np.empty(chunks, np.uint64)
    bounds = np.empty(2 * mask_ptr[chunks], np.int64)
    candidates = np.empty(4096, np.int64)
    candidate_ptr = np.empty(chunks + 1, np.int64)
    if words.shape[0] == 0:
        return hit_q[:0], hit_row[:0], hit_d[:0]
    for q in range(queries.shape[0]):
        candidates = _gather(
            queries,
            q,
            postings,
            offsets,
            table_base,
            starts,
            widths,
            masks,
            mask_ptr,
            query_keys,
            bounds,
            candidates,
            candidate_ptr,
        )
        q0, q1, q2, q3 = queries[q, 0], queries[q, 1], queries[q, 2], queries[q, 3]
        # First a pass without stores (fast: nothing but independent loads), then the
        # rare bookkeeping pass only when something matched.
        matches = 0
        for i in range(candidate_ptr[chunks]):
            row = np.uint64(candidates[i])
            distance = (
                popcount(words[row, 0] ^ q0)
                + popcount(words[row, 1] ^ q1)
                + popcount(words[row, 2] ^ q2)
                + popcount(words[row, 3] ^ q3)
            )
            if distance <= threshold:
                matches += 1
        if matches == 0:
            continue
        for c in range(chunks):
            for i in range(candidate_ptr[c], candidate_ptr[c + 1]):
                row = np.uint64(candidates[i])
                distance = _distance(words, row, queries, q)
                if distance > threshold or dead[row] != 0:
                    continue
                seen = False
                for e in range(c):
                    if radii[e] >= 0:
                        other = chunk_key(words, row, starts[e], widths[e]) ^ query_keys[e]
                        if popcount(other) <= radii[e]:
                            seen = True
                            break
                if seen:
                    continue
                if count == hit_q.shape[0]:
                    hit_q, hit_row, hit_d = _grow(hit_q, hit_row, hit_d)
                hit_q[count] = q
                hit_row[count] = row
                hit_d[count] = distance
                count += 1
    return hit_q[:count], hit_row[:count], hit_d[:count]
