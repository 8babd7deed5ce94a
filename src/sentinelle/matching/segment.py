"""The immutable main segment of a multi-index-hashing index, plus its tombstones.

Rows are sorted by id (so removal is a binary search). For each chunk of the layout, a
CSR table maps every possible chunk key to the rows holding it: ``offsets`` (one shared
``uint32`` array, ``2**width + 1`` entries per chunk) and ``postings`` (``(chunks, rows)``
``uint32`` row numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from sentinelle.matching import kernels, mih_kernels
from sentinelle.matching.exceptions import IndexFormatError
from sentinelle.matching.hashes import PDQ_WORDS, Ids, Words
from sentinelle.matching.layout import ChunkLayout, ProbePlan, plan_probes
from sentinelle.matching.results import expand_ranges

Hits = kernels.Hits
MAX_ROWS = (1 << 32) - 1


def _aligned_words(rows: int) -> Words:
    """An uninitialised ``(rows, 4)`` uint64 array whose rows never straddle a cache line."""
    raw = np.empty(rows * PDQ_WORDS * 8 + 64, dtype=np.uint8)
    skip = -raw.ctypes.data % 64
    return raw[skip : skip + rows * PDQ_WORDS * 8].view(np.uint64).reshape(rows, PDQ_WORDS)


@dataclass
class Segment:
    layout: ChunkLayout
    words: Words
    ids: Ids
    dead: npt.NDArray[np.uint8]
    offsets: npt.NDArray[np.uint32]
    postings: npt.NDArray[np.uint32]
    _plans: dict[int, ProbePlan | None] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, words: Words, ids: Ids, chunks: int | None = None) -> Segment:
        """Sort rows by id and build every chunk table (counting sort, linear time)."""
        if words.shape[0] > MAX_ROWS:
            raise ValueError(f"a segment holds at most {MAX_ROWS} rows")
        layout = ChunkLayout.for_rows(words.shape[0], chunks)
        order = np.argsort(ids, kind="stable")
        sorted_words = _aligned_words(words.shape[0])
        np.take(words, order, axis=0, out=sorted_words)
        offsets = np.empty(layout.table_size, dtype=np.uint32)
        postings = np.empty((len(layout.widths), words.shape[0]), dtype=np.uint32)
        mih_kernels.build_postings(
            sorted_words, layout.starts, layout.width_array, layout.table_base, offsets, postings
        )
        dead = np.zeros(words.shape[0], dtype=np.uint8)
        return cls(layout, sorted_words, ids[order], dead, offsets, postings)

    @classmethod
    def from_arrays(
        cls,
        widths: tuple[int, ...],
        words: Words,
        ids: Ids,
        dead: npt.NDArray[np.uint8],
        offsets: npt.NDArray[np.uint32],
        postings: npt.NDArray[np.uint32],
    ) -> Segment:
        """Reassemble a stored segment, checking everything the kernels rely on for safety."""
        try:
            layout = ChunkLayout(widths)
        except (TypeError, ValueError) as error:
            raise IndexFormatError(f"bad chunk layout: {error}") from None
        rows = ids.shape[0]
        if words.shape != (rows, PDQ_WORDS) or dead.shape != (rows,):
            raise IndexFormatError("words, ids and tombstones disagree on the number of rows")
        if postings.shape != (len(widths), rows) or offsets.shape != (layout.table_size,):
            raise IndexFormatError("chunk tables do not match the layout")
        if rows and (np.any(ids[1:] < ids[:-1]) or int(postings.max()) >= rows):
            raise IndexFormatError("ids are not sorted or postings point outside the rows")
        for base, width in zip(layout.table_base, widths, strict=True):
            table = offsets[base : base + (1 << width) + 1]
            if table[0] != 0 or table[-1] != rows or np.any(table[1:] < table[:-1]):
                raise IndexFormatError("chunk offsets are not a valid prefix sum")
        return cls(layout, words, ids, np.array(dead, dtype=np.uint8), offsets, postings)

    @property
    def rows(self) -> int:
        return int(self.ids.shape[0])

    @property
    def dead_count(self) -> int:
        return int(np.count_nonzero(self.dead))

    @property
    def nbytes(self) -> int:
        arrays = (self.words, self.ids, self.dead, self.offsets, self.postings)
        return sum(int(a.nbytes) for a in arrays)

    def plan(self, threshold: int) -> ProbePlan | None:
        if threshold not in self._plans:
            self._plans[threshold] = plan_probes(self.layout, threshold, self.rows)
        return self._plans[threshold]

    def search(self, queries: Words, threshold: int) -> Hits:
        """Every live row within ``threshold`` of each query (complete, no duplicates)."""
        plan = self.plan(threshold)
        if plan is None:
            return kernels.scan(queries, self.words, self.dead, threshold)
        return mih_kernels.probe(
            queries,
            self.words,
            self.dead,
            self.postings,
            self.offsets,
            self.layout.table_base,
            self.layout.starts,
            self.layout.width_array,
            plan.radii,
            plan.masks,
            plan.mask_ptr,
            threshold,
        )

    def kill(self, ids: Ids) -> int:
        """Tombstone every live row carrying one of ``ids`` (sorted); return how many."""
        low = np.searchsorted(self.ids, ids, side="left")
        high = np.searchsorted(self.ids, ids, side="right")
        rows = expand_ranges(low, high - low)
        killed = int(np.count_nonzero(self.dead[rows] == 0))
        self.dead[rows] = 1
        return killed

    def live(self) -> tuple[Words, Ids]:
        keep = self.dead == 0
        return self.words[keep], self.ids[keep]
