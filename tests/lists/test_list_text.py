"""Plain-text lists: one hash a line, the signal type given by the caller."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from sentinelle.lists import (
    HashList,
    ListEntry,
    ListExportError,
    ListFormatError,
    ListUsageError,
    parse_list,
    write_list,
)

HexMaker = Callable[[str], str]


def parse(content: str | bytes, signal_type: str = "md5") -> list[ListEntry]:
    return parse_list(content, "text", name="t", signal_type=signal_type).entries


def export(entries: list[ListEntry]) -> bytes:
    stream = io.BytesIO()
    write_list(HashList("t", entries), stream, format="text")
    return stream.getvalue()


def test_hashes_comments_and_blank_lines(random_hash: HexMaker) -> None:
    first, second = random_hash("sha256"), random_hash("sha256")
    content = f"# a comment\n\n  {first.upper()}  \r\n   # indented comment\n\t\n{second}"
    assert parse(content, "SHA256") == [ListEntry("sha256", first), ListEntry("sha256", second)]


@pytest.mark.parametrize("content", ["", "\n", "# only a comment\n"])
def test_empty_files_are_empty_lists(content: str) -> None:
    assert parse(content) == []


def test_every_bad_line_with_its_number(random_hash: HexMaker) -> None:
    good = random_hash("md5")
    content = "\n".join(
        [good, good[:-1], f"{good} # trailing comment", "x" * 32, random_hash("sha1"), good]
    )
    with pytest.raises(ListFormatError) as caught:
        parse(content)
    assert [(error.line, error.reason) for error in caught.value.errors] == [
        (2, "a md5 hash has 32 hex digits, got 31"),
        (3, "a md5 hash has 32 hex digits, got 51"),
        (4, f"a md5 hash is hexadecimal, got {'x' * 32!r}"),
        (5, "a md5 hash has 32 hex digits, got 40"),
    ]


def test_signal_type_is_required() -> None:
    with pytest.raises(ListUsageError, match="give their signal type"):
        parse_list("", "text", name="t")


def test_unknown_signal_type_argument() -> None:
    with pytest.raises(ListUsageError, match="unknown signal type 'crc32'"):
        parse_list("", "text", name="t", signal_type="crc32")


@pytest.mark.parametrize("format", ["csv", "jsonl"])
def test_signal_type_is_refused_for_other_formats(format: str) -> None:
    with pytest.raises(ListUsageError, match="only for plain-text lists"):
        parse_list("", format, name="t", signal_type="md5")


def test_export_writes_hashes_only(random_hash: HexMaker) -> None:
    first, second = random_hash("pdq"), random_hash("pdq")
    entries = [ListEntry("pdq", first, category="csam", id="1", note="n"), ListEntry("pdq", second)]
    assert export(entries) == f"{first}\n{second}\n".encode()
    assert export([]) == b""


def test_export_refuses_mixed_signal_types(random_hash: HexMaker) -> None:
    entries = [ListEntry("md5", random_hash("md5")), ListEntry("sha1", random_hash("sha1"))]
    with pytest.raises(ListExportError, match="one signal type, this one has md5, sha1"):
        export(entries)
