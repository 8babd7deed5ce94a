"""Hostile and unusual input: encodings, NUL bytes, huge lines, huge files, error caps."""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import pytest

from sentinelle.lists import (
    MAX_LINE_BYTES,
    MAX_REPORTED_ERRORS,
    ListEntry,
    ListFormatError,
    parse_list,
)

HexMaker = Callable[[str], str]


def problems(content: bytes, format: str = "text") -> list[tuple[int, str]]:
    signal_type = "md5" if format == "text" else None
    with pytest.raises(ListFormatError) as caught:
        parse_list(content, format, name="t", signal_type=signal_type)
    return [(error.line, error.reason) for error in caught.value.errors]


@pytest.mark.parametrize(
    ("format", "template"),
    [
        ("text", "{h}\n"),
        ("csv", "signal_type,hash\nmd5,{h}\n"),
        ("jsonl", '{{"signal_type":"md5","hash":"{h}"}}\n'),
    ],
)
def test_utf8_bom_at_start_is_accepted(random_hash: HexMaker, format: str, template: str) -> None:
    value = random_hash("md5")
    content = b"\xef\xbb\xbf" + template.format(h=value).encode()
    signal_type = "md5" if format == "text" else None
    hash_list = parse_list(content, format, name="t", signal_type=signal_type)
    assert hash_list.entries == [ListEntry("md5", value)]


def test_bom_is_only_skipped_at_the_start(random_hash: HexMaker) -> None:
    content = f"{random_hash('md5')}\n\ufeff{random_hash('md5')}\n".encode()
    assert problems(content) == [(2, "a md5 hash has 32 hex digits, got 33")]


def test_utf16_is_named(random_hash: HexMaker) -> None:
    content = f"{random_hash('md5')}\n".encode("utf-16")
    assert problems(content)[0] == (1, "the file is UTF-16 (byte-order mark); lists must be UTF-8")


def test_nul_bytes_and_bad_utf8(random_hash: HexMaker) -> None:
    good = random_hash("md5").encode()
    content = b"\n".join([good, b"ab\x00cd", b"caf\xc3", good + b"\xff", good])
    assert problems(content) == [
        (2, "NUL byte at byte 3 of the line"),
        (3, "not valid UTF-8 (byte 4 of the line)"),
        (4, "not valid UTF-8 (byte 33 of the line)"),
    ]


def test_line_length_limit(random_hash: HexMaker) -> None:
    longest = b"#" + b"x" * (MAX_LINE_BYTES - 1)
    good = random_hash("md5").encode()
    content = b"\n".join([longest, longest + b"x", good, longest + b"xx", good])
    assert problems(content) == [
        (2, f"line is over {MAX_LINE_BYTES} bytes"),
        (4, f"line is over {MAX_LINE_BYTES} bytes"),
    ]


def test_csv_line_errors_keep_record_numbers(random_hash: HexMaker) -> None:
    good = random_hash("md5")
    content = f"signal_type,hash\nmd5,{good}\nmd5,\x00\nmd5,{good}\nmd5,nope\n".encode()
    assert problems(content, "csv") == [
        (3, "NUL byte at byte 5 of the line"),
        (5, "a md5 hash has 32 hex digits, got 4"),
    ]


class HugeFile(io.RawIOBase):
    """A file of 2 GiB and more, made up on the fly: one huge line, then ``tail``."""

    def __init__(self, size: int, tail: bytes) -> None:
        self.remaining = size
        self.tail = io.BytesIO(tail)
        self.largest_read = 0

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> bytes:
        assert size is not None and 0 < size <= MAX_LINE_BYTES + 1, "unbounded read"
        self.largest_read = max(self.largest_read, size)
        if self.remaining > 0:
            chunk = min(size, self.remaining)
            self.remaining -= chunk
            return b"x" * chunk
        return self.tail.readline(size)


def test_a_two_gigabyte_line_is_streamed(random_hash: HexMaker) -> None:
    stream = HugeFile(2 * 1024**3, b"\n" + random_hash("md5").encode() + b"\nabc\n")
    with pytest.raises(ListFormatError) as caught:
        parse_list(stream, "text", name="t", signal_type="md5")
    assert [(error.line, error.reason) for error in caught.value.errors] == [
        (1, f"line is over {MAX_LINE_BYTES} bytes"),
        (3, "a md5 hash has 32 hex digits, got 3"),
    ]
    assert stream.largest_read == MAX_LINE_BYTES + 1


def test_binary_garbage_is_rejected_with_a_capped_report() -> None:
    garbage = random.Random(7).randbytes(2_000_000)
    with pytest.raises(ListFormatError) as caught:
        parse_list(garbage, "csv", name="t")
    assert 0 < len(caught.value.errors) <= MAX_REPORTED_ERRORS


def test_errors_are_capped_and_the_rest_counted(random_hash: HexMaker) -> None:
    content = "\n".join(["bad"] * 250 + [random_hash("md5")]).encode()
    with pytest.raises(ListFormatError) as caught:
        parse_list(content, "text", name="t", signal_type="md5", source="big.txt")
    error = caught.value
    assert len(error.errors) == MAX_REPORTED_ERRORS
    assert error.errors[-1].line == MAX_REPORTED_ERRORS
    assert error.omitted == 150
    assert str(error).startswith("big.txt: 250 errors, nothing imported\n  line 1: ")
    assert str(error).endswith("\n  ... and 150 more")


@pytest.mark.parametrize("kind", ["bytes", "str", "binary stream", "text stream", "lines"])
def test_every_kind_of_content(random_hash: HexMaker, kind: str) -> None:
    first, second = random_hash("md5"), random_hash("md5")
    text = f"{first}\r\n# note\n{second}"
    content: object = {
        "bytes": text.encode(),
        "str": text,
        "binary stream": io.BytesIO(text.encode()),
        "text stream": io.StringIO(text),
        "lines": iter([f"{first}\r\n", "# note", second]),
    }[kind]
    hash_list = parse_list(content, "text", name="t", signal_type="md5")  # type: ignore[arg-type]
    assert [entry.hash for entry in hash_list.entries] == [first, second]


def test_line_numbers_count_every_physical_line(random_hash: HexMaker) -> None:
    content = "\n\r\n# c\n\nzz\n"
    assert problems(content.encode()) == [(5, "a md5 hash has 32 hex digits, got 2")]
