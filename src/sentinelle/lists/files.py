"""Reading and writing whole lists: the package's entry points.

Reading is all or nothing: every problem of a file is collected, and if there
was one a single :class:`ListFormatError` is raised and no list is returned.
Writing to a path replaces the file atomically.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from sentinelle.lists.csv_format import parse_csv, write_csv
from sentinelle.lists.exceptions import InvalidEntry, ListUsageError
from sentinelle.lists.formats import ListFormat, TextSink, choose_format, format_named
from sentinelle.lists.jsonl_format import parse_jsonl, write_jsonl
from sentinelle.lists.lines import ListSource, read_lines
from sentinelle.lists.models import HashList, ListEntry, canonical_signal_type
from sentinelle.lists.report import ErrorReport
from sentinelle.lists.text_format import parse_text, write_text


class _Utf8Sink:
    """A text sink over a binary stream."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def write(self, text: str, /) -> None:
        self._stream.write(text.encode("utf-8"))


def _text_signal_type(format: ListFormat, signal_type: str | None) -> str | None:
    """The canonical signal type argument, which plain text needs and the others refuse."""
    if format is not ListFormat.TEXT:
        if signal_type is not None:
            raise ListUsageError(
                f"a signal type argument is only for plain-text lists; "
                f"a {format} list names the signal type on every line"
            )
        return None
    if signal_type is None:
        raise ListUsageError(
            "a plain-text list holds bare hashes: give their signal type "
            "(signal_type=, --signal-type)"
        )
    try:
        return canonical_signal_type(signal_type)
    except InvalidEntry as error:
        raise ListUsageError(error.reason) from None


def _parse(
    content: ListSource, format: ListFormat, signal_type: str | None, report: ErrorReport
) -> Iterator[ListEntry]:
    lines = read_lines(content, report)
    if format is ListFormat.CSV:
        return parse_csv(lines, report)
    if format is ListFormat.JSONL:
        return parse_jsonl(lines, report)
    assert signal_type is not None
    return parse_text(lines, report, signal_type)


def parse_list(
    content: ListSource,
    format: ListFormat | str,
    *,
    name: str,
    source: str | None = None,
    signal_type: str | None = None,
    category: str | None = None,
    verified: bool = False,
    threshold: int | None = None,
) -> HashList:
    """Parse a whole list from ``content`` or raise :class:`ListFormatError`.

    ``content`` is bytes or str (the whole file), a binary or text stream (read
    line by line), or an iterable of lines. ``signal_type`` is required for
    plain text and refused for the other formats. ``source`` says where the
    list came from; it also prefixes the error message.
    """
    chosen = format_named(format)
    kind = _text_signal_type(chosen, signal_type)
    hash_list = HashList(
        name, category=category, verified=verified, threshold=threshold, source=source
    )
    report = ErrorReport(source)
    entries: list[ListEntry] = []
    for entry in _parse(content, chosen, kind, report):
        if report.ok:
            entries.append(entry)
        elif entries:
            entries.clear()  # nothing will be returned: let it go early
    report.raise_if_any()
    hash_list.entries = entries
    return hash_list


def read_list(
    path: str | os.PathLike[str],
    *,
    format: ListFormat | str | None = None,
    signal_type: str | None = None,
    name: str | None = None,
    category: str | None = None,
    verified: bool = False,
    threshold: int | None = None,
) -> HashList:
    """Read the list file at ``path``; the format comes from the extension unless given.

    The list is named after the file's stem unless ``name`` is given, and its
    ``source`` is the path.
    """
    chosen = choose_format(format, path)
    with open(path, "rb") as stream:
        return parse_list(
            stream,
            chosen,
            name=Path(path).stem if name is None else name,
            source=os.fspath(path),
            signal_type=signal_type,
            category=category,
            verified=verified,
            threshold=threshold,
        )


def _write(entries: Sequence[ListEntry], format: ListFormat, sink: TextSink) -> None:
    if format is ListFormat.CSV:
        write_csv(entries, sink)
    elif format is ListFormat.JSONL:
        write_jsonl(entries, sink)
    else:
        write_text(entries, sink)


def _replace_file(entries: Sequence[ListEntry], format: ListFormat, path: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(handle, "wb") as stream:
            _write(entries, format, _Utf8Sink(stream))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_list(
    hash_list: HashList,
    destination: str | os.PathLike[str] | IO[bytes],
    *,
    format: ListFormat | str | None = None,
) -> None:
    """Export ``hash_list`` to a path (atomically, format from the extension) or a binary stream.

    Only the entries are written: the list's name, category, verified flag and
    threshold are not part of any file format.
    """
    if isinstance(destination, str | os.PathLike):
        _replace_file(hash_list.entries, choose_format(format, destination), Path(destination))
    else:
        _write(hash_list.entries, choose_format(format, None), _Utf8Sink(destination))
