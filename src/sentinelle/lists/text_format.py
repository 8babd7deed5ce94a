"""Plain text lists: one hash per line, all of one signal type that the caller names.

Blank lines and lines whose first non-blank character is ``#`` are skipped;
whitespace around a hash is ignored. Only hashes are written: the signal type,
categories, ids and notes of the entries are not part of this format.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sentinelle.lists.exceptions import InvalidEntry, ListExportError
from sentinelle.lists.formats import TextSink
from sentinelle.lists.lines import Line
from sentinelle.lists.models import ListEntry
from sentinelle.lists.report import ErrorReport


def parse_text(lines: Iterable[Line], report: ErrorReport, signal_type: str) -> Iterator[ListEntry]:
    """Entries of ``signal_type`` for each hash line; bad lines go to ``report``."""
    for line in lines:
        value = line.text.strip()
        if not value or value.startswith("#"):
            continue
        try:
            entry = ListEntry(signal_type, value)
        except InvalidEntry as error:
            report.add(line.number, error.reason)
            continue
        yield entry


def write_text(entries: Sequence[ListEntry], sink: TextSink) -> None:
    """Write one hash a line; a list of several signal types cannot be written."""
    kinds = sorted({entry.signal_type for entry in entries})
    if len(kinds) > 1:
        raise ListExportError(
            f"a plain-text list holds one signal type, this one has {', '.join(kinds)}: "
            "use CSV or JSON Lines"
        )
    for entry in entries:
        sink.write(f"{entry.hash}\n")
