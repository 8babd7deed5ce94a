"""The three list file formats, their names, and how a file's extension picks one."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import PurePath
from typing import Final, Protocol

from sentinelle.lists.exceptions import UnknownListFormat, quoted


class ListFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    TEXT = "text"


#: Names accepted for an explicit format (``format=``, the CLI's ``--format``).
FORMAT_NAMES: Final[dict[str, ListFormat]] = {
    "csv": ListFormat.CSV,
    "jsonl": ListFormat.JSONL,
    "ndjson": ListFormat.JSONL,
    "text": ListFormat.TEXT,
    "txt": ListFormat.TEXT,
}

#: File extensions (lowercase, with the dot) and the format each one means.
EXTENSIONS: Final[dict[str, ListFormat]] = {
    ".csv": ListFormat.CSV,
    ".jsonl": ListFormat.JSONL,
    ".ndjson": ListFormat.JSONL,
    ".txt": ListFormat.TEXT,
    ".dat": ListFormat.TEXT,
    ".lst": ListFormat.TEXT,
}


class TextSink(Protocol):
    """Where a format writes its text: anything with ``write(str)``."""

    def write(self, text: str, /) -> object: ...


def format_named(name: ListFormat | str) -> ListFormat:
    """The format called ``name`` (any case; ``ndjson`` and ``txt`` are aliases)."""
    if isinstance(name, ListFormat):
        return name
    try:
        return FORMAT_NAMES[name.strip().lower()]
    except KeyError:
        known = ", ".join(FORMAT_NAMES)
        raise UnknownListFormat(f"unknown list format {quoted(name)} (known: {known})") from None


def detect_format(path: str | os.PathLike[str]) -> ListFormat:
    """The format a file's extension names (case-insensitive), or :class:`UnknownListFormat`."""
    suffix = PurePath(path).suffix.lower()
    try:
        return EXTENSIONS[suffix]
    except KeyError:
        known = ", ".join(EXTENSIONS)
        raise UnknownListFormat(
            f"cannot tell the list format of {os.fspath(path)!r} from its extension "
            f"(known: {known}); name the format explicitly"
        ) from None


def choose_format(
    format: ListFormat | str | None, path: str | os.PathLike[str] | None
) -> ListFormat:
    """An explicit format wins; otherwise the path's extension decides."""
    if format is not None:
        return format_named(format)
    if path is None:
        raise UnknownListFormat("a stream has no file name: name the list format explicitly")
    return detect_format(path)
