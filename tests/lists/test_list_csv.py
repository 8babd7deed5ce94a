"""CSV lists: header rules, quoting, every record error with its line, and export bytes."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from sentinelle.lists import HashList, ListEntry, ListFormatError, parse_list, write_list
from sentinelle.lists.categories import CATEGORY_RULE
from sentinelle.lists.csv_format import MAX_RECORD_LENGTH

HexMaker = Callable[[str], str]


def parse(content: str | bytes) -> list[ListEntry]:
    return parse_list(content, "csv", name="t").entries


def problems(content: str | bytes) -> list[tuple[int, str]]:
    with pytest.raises(ListFormatError) as caught:
        parse_list(content, "csv", name="t")
    return [(error.line, error.reason) for error in caught.value.errors]


def export(entries: list[ListEntry]) -> bytes:
    stream = io.BytesIO()
    write_list(HashList("t", entries), stream, format="csv")
    return stream.getvalue()


def test_all_columns_in_any_order(random_hash: HexMaker) -> None:
    md5, pdq = random_hash("md5"), random_hash("pdq")
    content = f"note,id,hash,category,signal_type\nfirst,a-1,{md5},csam,md5\n,,{pdq},,pdq\n"
    assert parse(content) == [
        ListEntry("md5", md5, category="csam", id="a-1", note="first"),
        ListEntry("pdq", pdq),
    ]


def test_optional_columns_may_be_absent(random_hash: HexMaker) -> None:
    value = random_hash("sha256")
    assert parse(f"hash,signal_type\n{value},sha256\n") == [ListEntry("sha256", value)]


def test_upper_case_is_normalised(random_hash: HexMaker) -> None:
    value = random_hash("sha1")
    [entry] = parse(f"signal_type,hash\nSHA1,{value.upper()}\n")
    assert (entry.signal_type, entry.hash) == ("sha1", value)


def test_quoted_note_with_commas_quotes_and_newlines(random_hash: HexMaker) -> None:
    value = random_hash("md5")
    content = f'signal_type,hash,note\nmd5,{value},"a, ""b""\nc"\nmd5,{value},x\n'
    assert [entry.note for entry in parse(content)] == ['a, "b"\nc', "x"]


@pytest.mark.parametrize(
    "content",
    ["", "\n\n", "signal_type,hash\n", "signal_type,hash", "\nsignal_type,hash,note\n,,\n\n"],
)
def test_empty_and_header_only_files_are_empty_lists(content: str) -> None:
    assert parse(content) == []


def test_blank_records_are_skipped(random_hash: HexMaker) -> None:
    value = random_hash("md5")
    content = f"signal_type,hash,note\n\n,,\n  ,, \nmd5,{value},\n"
    assert parse(content) == [ListEntry("md5", value)]


def test_crlf_line_endings(random_hash: HexMaker) -> None:
    value = random_hash("md5")
    content = f'signal_type,hash,note\r\nmd5,{value},"x\r\ny"\r\nmd5,{value},z\r\n'
    assert [entry.note for entry in parse(content)] == ["x\r\ny", "z"]


COLUMNS = "(columns: signal_type,hash,category,id,note)"


@pytest.mark.parametrize(
    ("header", "reasons"),
    [
        ("signal_type,hash,sha", [f"unknown column 'sha' {COLUMNS}"]),
        ("signal_type,Hash", [f"unknown column 'Hash' {COLUMNS}", "missing column 'hash'"]),
        ("signal_type,hash,hash", ["duplicate column 'hash'"]),
        ("hash,note", ["missing column 'signal_type'"]),
        ("signal_type,hash,", ["column 3 of the header has no name"]),
        ("md5,0123", ["the first row must be a header such as signal_type,hash; got data"]),
    ],
)
def test_header_problems_stop_the_reading(header: str, reasons: list[str]) -> None:
    content = f"\n{header}\nmd5,not-a-hash\n"
    assert problems(content) == [(2, reason) for reason in reasons]


def test_every_bad_record_with_its_line(random_hash: HexMaker) -> None:
    good = random_hash("md5")
    rows = [
        "signal_type,hash,category,note",  # 1
        f'md5,{good},,"two\nlines"',  # 2-3
        "md5,abc,,",  # 4
        f"md5,{'z' * 32},,",  # 5
        f"crc,{good},,",  # 6
        f"md5,{good},Bad,",  # 7
        f"md5,{good}",  # 8
        f",{good},,",  # 9
        "md5, ,,",  # 10
        f'md5,"{good}"x,,',  # 11
        "signal_type,hash,category,note",  # 12
        f"md5,{good},,ok",  # 13
        f'md5,{good},,"open',  # 14-15
        "",
    ]
    assert problems("\n".join(rows)) == [
        (4, "a md5 hash has 32 hex digits, got 3"),
        (5, f"a md5 hash is hexadecimal, got {'z' * 32!r}"),
        (6, "unknown signal type 'crc' (known: pdq, md5, sha1, sha256)"),
        (7, f"category 'Bad' is not a valid label ({CATEGORY_RULE})"),
        (8, "expected 4 fields as in the header, got 2"),
        (9, "missing signal_type"),
        (10, "missing hash"),
        (11, "bad CSV: ',' expected after '\"'"),
        (12, "the header row again (files joined together?)"),
        (14, "bad CSV: unexpected end of data"),
    ]


def test_an_open_quote_stops_at_the_record_limit(random_hash: HexMaker) -> None:
    line = "x" * 60_000 + "\n"
    content = "signal_type,hash,note\n" + f'md5,{random_hash("md5")},"' + line * 40
    [(number, reason)] = problems(content)
    assert number == 2
    assert reason.startswith(f"CSV record over {MAX_RECORD_LENGTH} characters")


def test_export_bytes(random_hash: HexMaker) -> None:
    md5, sha1 = random_hash("md5"), random_hash("sha1")
    entries = [
        ListEntry("md5", md5, category="csam", id="x-1", note='a, "b"\nc'),
        ListEntry("sha1", sha1, note="lone\rcr"),
        ListEntry("md5", md5, note=" spaced é "),
    ]
    assert (
        export(entries)
        == (
            "signal_type,hash,category,id,note\n"
            f'md5,{md5},csam,x-1,"a, ""b""\nc"\n'
            f'sha1,{sha1},,,"lone\rcr"\n'
            f"md5,{md5},,, spaced é \n"
        ).encode()
    )


def test_export_of_an_empty_list_is_the_header() -> None:
    assert export([]) == b"signal_type,hash,category,id,note\n"


def test_exact_duplicates_are_kept(random_hash: HexMaker) -> None:
    value = random_hash("md5")
    content = f"signal_type,hash,id\nmd5,{value},1\nMD5,{value.upper()},1\n"
    assert parse(content) == [ListEntry("md5", value, id="1")] * 2
