"""Compiled (numba) loops of multi-index hashing: building the chunk tables and probing them.

See :mod:`.layout` for why probing is complete and :mod:`.kernels` for the conventions.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sentinelle.matching.hashes import Words
from sentinelle.matching.kernels import (
    I64,
    U32,
    Hits,
    Mask,
    chunk_key,
    grow_hits,
    hamming,
    jit,
    popcount,
)


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
                distance = hamming(words, row, queries, q)
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
                    hit_q, hit_row, hit_d = grow_hits(hit_q, hit_row, hit_d)
                hit_q[count] = q
                hit_row[count] = row
                hit_d[count] = distance
                count += 1
    return hit_q[:count], hit_row[:count], hit_d[:count]
