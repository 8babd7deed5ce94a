"""The serving index's entry table: columns in shared memory, an entry built only when asked for."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from sentinelle.engine.matcher import IndexedEntry
from sentinelle.matching import IndexFormatError


@dataclass(frozen=True)
class ListInfo:
    """What the serving index knows of a list: enough to answer and to filter."""

    name: str
    category: str | None
    verified: bool
    threshold: int  #: PDQ threshold in force

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "category": self.category, "verified": self.verified,
                "threshold": self.threshold}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListInfo:
        category = data["category"]
        return cls(str(data["name"]), None if category is None else str(category), bool(data["verified"]),
                   int(data["threshold"]))


class EntryTable(Sequence[IndexedEntry]):
    """Entry ``i`` of the serving index, read from memory-mapped columns."""

    def __init__(
        self,
        list_code: npt.NDArray[np.int32],
        category_code: npt.NDArray[np.int32],
        signal_code: npt.NDArray[np.uint8],
        row: npt.NDArray[np.int64],
        id_end: npt.NDArray[np.int64],
        id_blob: npt.NDArray[np.uint8],
        keys: dict[str, npt.NDArray[np.uint8]],
        *,
        lists: list[ListInfo],
        categories: list[str],
        signals: tuple[str, ...],
    ) -> None:
        self.list_code, self.category_code, self.signal_code = list_code, category_code, signal_code
        self.row, self.id_end, self.id_blob, self.keys = row, id_end, id_blob, keys
        self.lists, self.categories, self.signals = lists, categories, signals
        self._thresholds = np.array([info.threshold for info in lists], dtype=np.int32)

    def check(self) -> None:
        """Refuse a table whose codes or offsets point outside what it holds (before any look-up)."""
        n = self.list_code.shape[0]
        columns = (self.category_code, self.signal_code, self.row, self.id_end)
        if any(c.shape != (n,) for c in columns):
            raise IndexFormatError("entry table columns disagree on the number of entries")
        if n == 0:
            return
        if int(self.list_code.min()) < 0 or int(self.list_code.max()) >= len(self.lists):
            raise IndexFormatError("entry table names an unknown list")
        if int(self.category_code.min()) < -1 or int(self.category_code.max()) >= len(self.categories):
            raise IndexFormatError("entry table names an unknown category")
        if int(self.signal_code.max()) >= len(self.signals):
            raise IndexFormatError("entry table names an unknown signal type")
        for code, name in enumerate(self.signals):
            rows = self.row[self.signal_code == code]
            if rows.size and (int(rows.min()) < 0 or int(rows.max()) >= self.keys[name].shape[0]):
                raise IndexFormatError(f"entry table points outside the {name} keys")
        if np.any(np.diff(self.id_end) < 0) or int(self.id_end[0]) < 0 or int(self.id_end[-1]) > self.id_blob.shape[0]:
            raise IndexFormatError("entry ids are not a valid prefix sum")

    def thresholds(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
        """The PDQ threshold of each entry's list."""
        return self._thresholds[self.list_code[ids]]

    def __len__(self) -> int:
        return int(self.list_code.shape[0])

    @overload
    def __getitem__(self, index: int) -> IndexedEntry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[IndexedEntry]: ...

    def __getitem__(self, index: int | slice) -> IndexedEntry | Sequence[IndexedEntry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(f"entry {index} out of range")
        index %= len(self)
        info = self.lists[int(self.list_code[index])]
        signal = self.signals[int(self.signal_code[index])]
        value = self.keys[signal][int(self.row[index])].tobytes().hex()
        category_code = int(self.category_code[index])
        start = int(self.id_end[index - 1]) if index else 0
        ident = self.id_blob[start : int(self.id_end[index])].tobytes().decode("utf-8", "replace")
        category = self.categories[category_code] if category_code >= 0 else None
        return IndexedEntry(info.name, signal, value, category, ident or None, info.threshold)

    def __iter__(self) -> Iterator[IndexedEntry]:
        return (self[i] for i in range(len(self)))
