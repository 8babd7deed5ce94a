"""Bytes of unknown media, held in memory until their page is known to be confirmed.

Whether a page is confirmed is known only once every media on it has been hashed and
matched; its unknown media must then go to the review queue, and their bytes are needed
for that. :class:`ReviewBuffer` keeps the bytes of unknown media (never of matched media)
by SHA-256, least recently used first out, within a byte budget (``--review-buffer``).
When a confirmed page needs bytes the buffer no longer holds (the budget was spent, or the
media was fetched for an earlier page whose bytes were let go), the crawler fetches the
URL again and keeps the bytes only if their SHA-256 is the one recorded.
"""

from __future__ import annotations

from collections import OrderedDict


class ReviewBuffer:
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()

    def put(self, sha256: str, data: bytes) -> bool:
        """Keep ``data``; False when it alone is over the budget."""
        if len(data) > self.budget:
            return False
        if sha256 in self._items:
            self._items.move_to_end(sha256)
            return True
        self._items[sha256] = data
        self.size += len(data)
        while self.size > self.budget:
            _, dropped = self._items.popitem(last=False)
            self.size -= len(dropped)
        return True

    def get(self, sha256: str) -> bytes | None:
        data = self._items.get(sha256)
        if data is not None:
            self._items.move_to_end(sha256)
        return data

    def __len__(self) -> int:
        return len(self._items)
