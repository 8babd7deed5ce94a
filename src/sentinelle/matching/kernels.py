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

#: Rows scanned together by the brute-force loop, so a tile stays in L2 across queries.
SCAN_TILE = 4096


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
def chunk_key(words: Words, row: int, start: int, width: int) -> np.uint64:
    """Value of the ``width``-bit chunk at bit ``start`` of hash ``row`` (width <= 32)."""
    index = start >> 6
    offset = start & 63
    end = offset + width
    one = np.uint64(1)
    if end <= 64:
        return (words[row, index] >> np.uint64(64 - end)) & ((one << np.uint64(width)) - one)
    low = end - 64
    high = words[row, index] & ((one << np.uint64(64 - offset)) - one)
    return (high << np.uint64(low)) | (words[row, index + 1] >> np.uint64(64 - low))


@jit
def _distance(a: Words, i: int, b: Words, j: int) -> int:
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
def scan(queries: Words, words: Words, dead: Mask, threshold: int) -> Hits:
    """Brute force: every live row within ``threshold`` of every query."""
    hit_q = np.empty(1024, np.int64)
    hit_row = np.empty(1024, np.int64)
    hit_d = np.empty(1024, np.int32)
    count = 0
    for tile in range(0, words.shape[0], SCAN_TILE):
        stop = min(tile + SCAN_TILE, words.shape[0])
        for q in range(queries.shape[0]):
            for row in range(tile, stop):
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
    keys = np.empty(rows, np.uint32)
    for c in range(starts.shape[0]):
        base = table_base[c]
        size = 1 << widths[c]
        offsets[base : base + size + 1] = 0
        for row in range(rows):
            key = np.int64(chunk_key(words, row, starts[c], widths[c]))
            keys[row] = key
            offsets[base + key + 1] += 1
        for k in range(size):
            offsets[base + k + 1] += offsets[base + k]
        cursor = offsets[base : base + size].copy()
        for row in range(rows):
            key = np.int64(keys[row])
            postings[c, cursor[key]] = row
            cursor[key] += 1


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

    Each chunk runs in three loops (bucket bounds, candidate rows, verification) whose memory
    reads do not depend on each other, so the processor overlaps the cache misses.
    """
    chunks = starts.shape[0]
    hit_q = np.empty(1024, np.int64)
    hit_row = np.empty(1024, np.int64)
    hit_d = np.empty(1024, np.int32)
    count = 0
    query_keys = np.empty(chunks, np.uint64)
    most = 1
    for c in range(chunks):
        most = max(most, mask_ptr[c + 1] - mask_ptr[c])
    low = np.empty(most, np.int64)
    high = np.empty(most, np.int64)
    candidates = np.empty(4096, np.int64)
    last = words.shape[0] - 1
    for q in range(queries.shape[0]):
        for c in range(chunks):
            query_keys[c] = chunk_key(queries, q, starts[c], widths[c])
        for c in range(chunks):
            base = table_base[c]
            first = mask_ptr[c]
            probes = mask_ptr[c + 1] - first
            total = 0
            for m in range(probes):
                key = base + np.int64(query_keys[c] ^ np.uint64(masks[first + m]))
                low[m] = offsets[key]
                high[m] = offsets[key + 1]
            for m in range(probes):
                total += high[m] - low[m]
            if total == 0:
                continue
            if total > candidates.shape[0]:
                candidates = np.empty(2 * total, np.int64)
            # Most buckets hold 0 or 1 rows: take every bucket's first slot without branching
            # (keeping it only if the bucket is not empty), then the rest of the longer ones.
            n = 0
            for m in range(probes):
                candidates[n] = postings[c, min(low[m], last)]
                n += high[m] > low[m]
            for m in range(probes):
                for p in range(low[m] + 1, high[m]):
                    candidates[n] = postings[c, p]
                    n += 1
            for i in range(n):
                row = candidates[i]
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
