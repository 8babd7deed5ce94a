"""Physical lines of a list file, read one at a time, whatever the file holds.

A file is never read whole: each line is read with a size limit, so a 2 GB file
or a line without end costs at most ``MAX_LINE_BYTES`` of memory. A line ends at
``\\n`` (a ``\\r`` before it is part of the ending). A UTF-8 byte-order mark at
the start of the file is dropped. Lines that are too long, hold a NUL byte or
are not UTF-8 go to the error report and are not handed on.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Final, Protocol, TypeAlias, runtime_checkable

from sentinelle.lists.report import ErrorReport

#: Longest line accepted, in bytes, not counting its ending.
MAX_LINE_BYTES: Final = 64 * 1024

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")


@runtime_checkable
class Readable(Protocol):
    """A stream read line by line with a size limit: a binary or text file."""

    def readline(self, size: int = -1, /) -> bytes | str: ...


#: What a list can be parsed from: the whole content (bytes or str), a stream
#: (binary, or text), or an iterable of lines.
ListSource: TypeAlias = bytes | str | Readable | IO[bytes] | IO[str] | Iterable[str]


@dataclass(frozen=True, slots=True)
class Line:
    """One good line: its 1-based number, its text, and its ending as found."""

    number: int
    text: str
    #: ``"\n"``, ``"\r\n"``, or ``""`` for a last line without an ending.
    ending: str


def read_lines(source: ListSource, report: ErrorReport) -> Iterator[Line]:
    """Yield the good lines of ``source``; report the others under their line number."""
    for number, raw in enumerate(_raw_lines(source), start=1):
        if raw is None:
            report.add(number, f"line is over {MAX_LINE_BYTES} bytes")
            continue
        line = _decode(number, raw, report)
        if line is not None:
            yield line


def _raw_lines(source: ListSource) -> Iterator[bytes | None]:
    """Raw lines with their endings; None stands for a line over the limit."""
    if isinstance(source, bytes | bytearray):
        yield from _stream_lines(io.BytesIO(source))
    elif isinstance(source, str):
        yield from _stream_lines(io.BytesIO(source.encode("utf-8", "surrogatepass")))
    elif isinstance(source, Readable):
        yield from _stream_lines(source)
    else:
        for item in source:
            yield from _stream_lines(io.BytesIO(item.encode("utf-8", "surrogatepass")))


def _stream_lines(stream: Readable) -> Iterator[bytes | None]:
    limit = MAX_LINE_BYTES + 1
    while chunk := _as_bytes(stream.readline(limit)):
        if chunk.endswith(b"\n") or len(chunk) < limit:
            yield chunk
            continue
        # Too long: skip the rest of the line without holding it.
        while (rest := _as_bytes(stream.readline(limit))) and not rest.endswith(b"\n"):
            pass
        yield None


def _as_bytes(chunk: bytes | str) -> bytes:
    return chunk.encode("utf-8", "surrogatepass") if isinstance(chunk, str) else chunk


def _decode(number: int, raw: bytes, report: ErrorReport) -> Line | None:
    if raw.endswith(b"\r\n"):
        body, ending = raw[:-2], "\r\n"
    elif raw.endswith(b"\n"):
        body, ending = raw[:-1], "\n"
    else:
        body, ending = raw, ""
    if number == 1:
        if body.startswith(_UTF16_BOMS):
            report.add(number, "the file is UTF-16 (byte-order mark); lists must be UTF-8")
            return None
        body = body.removeprefix(_UTF8_BOM)
    if len(body) > MAX_LINE_BYTES:  # a text stream's readline limit counts characters
        report.add(number, f"line is over {MAX_LINE_BYTES} bytes")
        return None
    if (nul := body.find(b"\x00")) >= 0:
        report.add(number, f"NUL byte at byte {nul + 1} of the line")
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        report.add(number, f"not valid UTF-8 (byte {error.start + 1} of the line)")
        return None
    return Line(number, text, ending)
