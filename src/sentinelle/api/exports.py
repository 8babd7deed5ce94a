"""A list's full export as JSON Lines, streamed, ending with its own checksum.

Line 1 is a header ``{"format": "sentinelle-list-export/1", "list", "category", "cursor"}``;
then one line per hash ``{"signal_type", "hash", "category", "entry_id"}``; the last line is
``{"count": N, "sha256": HEX}`` where HEX is the SHA-256 of every byte before that line
(header and hash lines, newlines included). To verify: drop the last line, hash the rest,
compare. ``cursor`` is the change the export is current to: apply ``changes?since=cursor``
after it (changes are idempotent: an addition of a hash already held changes nothing).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from sentinelle.banks.models import KnownHash, StoredList

FORMAT = "sentinelle-list-export/1"
BATCH = 2000


def _line(record: dict[str, object]) -> bytes:
    return json.dumps(record, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n"


def export_lines(stored: StoredList, cursor: int) -> Iterator[bytes]:
    digest = hashlib.sha256()
    header = _line({"format": FORMAT, "list": stored.name, "category": stored.category, "cursor": cursor})
    digest.update(header)
    yield header
    count = 0
    rows = (KnownHash.objects.filter(list=stored).order_by("id")
            .values_list("signal_type", "hash", "category", "entry_id"))
    chunk: list[bytes] = []
    for signal_type, value, category, entry_id in rows.iterator(chunk_size=BATCH):
        line = _line({"signal_type": signal_type, "hash": value, "category": category or stored.category,
                      "entry_id": entry_id})
        digest.update(line)
        chunk.append(line)
        count += 1
        if len(chunk) >= BATCH:
            yield b"".join(chunk)
            chunk = []
    if chunk:
        yield b"".join(chunk)
    yield _line({"count": count, "sha256": digest.hexdigest()})
