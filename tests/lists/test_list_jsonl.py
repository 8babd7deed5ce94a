"""JSON Lines lists: keys, types, every line error with its number, and export bytes."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest

from sentinelle.lists import HashList, ListEntry, ListFormatError, parse_list, write_list
from sentinelle.lists.categories import CATEGORY_RULE

HexMaker = Callable[[str], str]


def parse(content: str | bytes) -> list[ListEntry]:
    return parse_list(content, "jsonl", name="t").entries


def problems(content: str | bytes) -> list[tuple[int, str]]:
    with pytest.raises(ListFormatError) as caught:
        parse_list(content, "jsonl", name="t")
    return [(error.line, error.reason) for error in caught.value.errors]


def export(entries: list[ListEntry]) -> bytes:
    stream = io.BytesIO()
    write_list(HashList("t", entries), stream, format="jsonl")
    return stream.getvalue()


def test_objects_with_optional_keys(random_hash: HexMaker) -> None:
    md5, pdq = random_hash("md5"), random_hash("pdq")
    lines = [
        {"note": "n", "hash": md5.upper(), "signal_type": "md5", "id": "7", "category": "csam"},
        {"signal_type": "pdq", "hash": pdq, "category": None, "id": None, "note": ""},
    ]
    content = "\n".join(json.dumps(line) for line in lines)
    assert parse(content) == [
        ListEntry("md5", md5, category="csam", id="7", note="n"),
        ListEntry("pdq", pdq),
    ]


@pytest.mark.parametrize("content", ["", "\n", " \n\t\n", "\r\n"])
def test_blank_files_are_empty_lists(content: str) -> None:
    assert parse(content) == []


def test_blank_lines_are_skipped_and_crlf_accepted(random_hash: HexMaker) -> None:
    value = random_hash("sha1")
    content = f'\r\n{{"signal_type":"sha1","hash":"{value}"}}\r\n  \r\n'
    assert parse(content) == [ListEntry("sha1", value)]


def test_every_bad_line_with_its_number(random_hash: HexMaker) -> None:
    good = random_hash("md5")
    rows = [
        f'{{"signal_type":"md5","hash":"{good}"}}',  # 1
        '{"signal_type":"md5",',  # 2
        f'["md5","{good}"]',  # 3
        f'{{"signal_type":"md5","hash":"{good}","extra":1,"more":2}}',  # 4
        f'{{"signal_type":"md5","hash":"{good}","hash":"{good}"}}',  # 5
        '{"signal_type":"md5","hash":7}',  # 6
        f'{{"signal_type":"md5","hash":"{good}","note":["x"]}}',  # 7
        f'{{"signal_type":"md5","hash":"{good}","id":true}}',  # 8
        '{"signal_type":"md5"}',  # 9
        '{"signal_type":"md5","hash":null}',  # 10
        f'{{"hash":"{good}"}}',  # 11
        '{"signal_type":"sha256","hash":"abcd"}',  # 12
        f'{{"signal_type":"md5","hash":"{good}","category":"a b"}}',  # 13
        "[" * 50_000,  # 14
        "# comment",  # 15
        "null",  # 16
        '"text"',  # 17
    ]
    assert problems("\n".join(rows)) == [
        (2, "invalid JSON: Expecting property name enclosed in double quotes (column 22)"),
        (3, "expected a JSON object, got array"),
        (4, "unknown keys 'extra', 'more' (keys: signal_type, hash, category, id, note)"),
        (5, "duplicate key 'hash'"),
        (6, "hash must be a string, got number"),
        (7, "note must be a string, got array"),
        (8, "id must be a string, got boolean"),
        (9, "missing hash"),
        (10, "missing hash"),
        (11, "missing signal_type"),
        (12, "a sha256 hash has 64 hex digits, got 4"),
        (13, f"category 'a b' is not a valid label ({CATEGORY_RULE})"),
        (14, "invalid JSON: nested too deeply"),
        (15, "invalid JSON: Expecting value (column 1)"),
        (16, "expected a JSON object, got null"),
        (17, "expected a JSON object, got string"),
    ]


def test_a_number_too_long_to_convert(random_hash: HexMaker) -> None:
    [(line, reason)] = problems('{"hash":' + "9" * 5000 + "}")
    assert line == 1 and reason.startswith("invalid JSON: Exceeds the limit")


def test_export_bytes(random_hash: HexMaker) -> None:
    md5, pdq = random_hash("md5"), random_hash("pdq")
    entries = [
        ListEntry("md5", md5, category="csam", id="x-1", note='é "q"\n\u2028'),
        ListEntry("pdq", pdq),
    ]
    assert (
        export(entries)
        == (
            f'{{"signal_type":"md5","hash":"{md5}","category":"csam","id":"x-1",'
            f'"note":"é \\"q\\"\\n\u2028"}}\n'
            f'{{"signal_type":"pdq","hash":"{pdq}"}}\n'
        ).encode()
    )


def test_export_of_an_empty_list_is_empty() -> None:
    assert export([]) == b""
