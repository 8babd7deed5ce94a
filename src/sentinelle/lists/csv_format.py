"""CSV lists: a header row naming the columns, then one entry per record.

The header must name ``signal_type`` and ``hash`` and may name ``category``,
``id`` and ``note``, in any order, each once (names are exact and lowercase).
Records are read by the :mod:`csv` module (RFC 4180 quoting: a quoted field may
hold commas, doubled quotes and line breaks). Records whose fields are all
blank are skipped, as spreadsheets write them. An empty optional field means
none. Export always writes the five columns in the order above, ``\\n``
line endings, and quotes exactly the fields holding ``,``, ``"``, CR or LF.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from sentinelle.hashing.signals import SIGNAL_TYPES
from sentinelle.lists.exceptions import InvalidEntry, quoted
from sentinelle.lists.formats import TextSink
from sentinelle.lists.lines import Line
from sentinelle.lists.models import ENTRY_FIELDS, REQUIRED_FIELDS, ListEntry
from sentinelle.lists.report import ErrorReport

#: Longest record, in characters: a quote left open would otherwise run to the end.
#: Not above the csv module's default field limit, so that this check comes first.
MAX_RECORD_LENGTH: Final = 128 * 1024

# Written by hand rather than by csv.writer: with "\n" line endings, Python 3.11's
# writer leaves a field holding a lone CR unquoted, and the reader then splits it.
_NEEDS_QUOTES: Final = re.compile(r'[",\r\n]')


class _RecordTooLong(Exception):
    pass


class _Feeder:
    """Hands lines to :func:`csv.reader`, noting where each record starts."""

    def __init__(self, lines: Iterable[Line]) -> None:
        self._lines = iter(lines)
        self._length = 0
        self.start = 0

    def new_record(self) -> None:
        self._length = 0

    def __iter__(self) -> _Feeder:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        if self._length == 0:
            self.start = line.number
        self._length += len(line.text) + 2
        if self._length > MAX_RECORD_LENGTH:
            raise _RecordTooLong
        return line.text + (line.ending or "\n")


def _header(row: list[str], number: int, report: ErrorReport) -> tuple[str, ...] | None:
    """The column names of a header row, or None after reporting what is wrong with it."""
    if row[0].strip().lower() in SIGNAL_TYPES:
        report.add(number, "the first row must be a header such as signal_type,hash; got data")
        return None
    problems: list[str] = []
    seen: set[str] = set()
    for index, name in enumerate(row, start=1):
        if not name.strip():
            problems.append(f"column {index} of the header has no name")
        elif name not in ENTRY_FIELDS:
            known = ",".join(ENTRY_FIELDS)
            problems.append(f"unknown column {quoted(name)} (columns: {known})")
        elif name in seen:
            problems.append(f"duplicate column {name!r}")
        seen.add(name)
    problems.extend(f"missing column {name!r}" for name in REQUIRED_FIELDS if name not in seen)
    for problem in problems:
        report.add(number, problem)
    return None if problems else tuple(row)


def _entry(row: list[str], columns: tuple[str, ...]) -> ListEntry:
    if len(row) != len(columns):
        raise InvalidEntry(f"expected {len(columns)} fields as in the header, got {len(row)}")
    values = dict(zip(columns, row, strict=True))
    for name in REQUIRED_FIELDS:
        if not values[name].strip():
            raise InvalidEntry(f"missing {name}")
    return ListEntry(**values)


def parse_csv(lines: Iterable[Line], report: ErrorReport) -> Iterator[ListEntry]:
    """An entry for each record after the header; bad records go to ``report``.

    A bad header stops the reading (the records cannot be understood without
    it), and so does a record over ``MAX_RECORD_LENGTH``.
    """
    feeder = _Feeder(lines)
    reader = csv.reader(feeder, strict=True)
    columns: tuple[str, ...] | None = None
    while True:
        feeder.new_record()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            report.add(feeder.start, f"bad CSV: {error}")
            continue
        except _RecordTooLong:
            report.add(
                feeder.start,
                f"CSV record over {MAX_RECORD_LENGTH} characters (a quote left open?); "
                "reading stopped here",
            )
            return
        if not any(field.strip() for field in row):
            continue
        if columns is None:
            columns = _header(row, feeder.start, report)
            if columns is None:
                return
            continue
        if tuple(row) == columns:
            report.add(feeder.start, "the header row again (files joined together?)")
            continue
        try:
            entry = _entry(row, columns)
        except InvalidEntry as error:
            report.add(feeder.start, error.reason)
            continue
        yield entry


def _field(value: str | None) -> str:
    if value is None:
        return ""
    if _NEEDS_QUOTES.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_csv(entries: Sequence[ListEntry], sink: TextSink) -> None:
    sink.write(",".join(ENTRY_FIELDS) + "\n")
    for entry in entries:
        fields = (entry.signal_type, entry.hash, entry.category, entry.id, entry.note)
        sink.write(",".join(_field(value) for value in fields) + "\n")
