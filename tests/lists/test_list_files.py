"""Reading and writing list files: format detection, defaults, all or nothing, atomic writes."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from sentinelle.lists import (
    Category,
    HashList,
    ListEntry,
    ListExportError,
    ListFormat,
    ListFormatError,
    UnknownListFormat,
    detect_format,
    read_list,
    write_list,
)

HexMaker = Callable[[str], str]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bank.csv", ListFormat.CSV),
        ("BANK.CSV", ListFormat.CSV),
        ("bank.jsonl", ListFormat.JSONL),
        ("bank.ndjson", ListFormat.JSONL),
        ("bank.txt", ListFormat.TEXT),
        ("bank.dat", ListFormat.TEXT),
        ("dir.d/bank.lst", ListFormat.TEXT),
    ],
)
def test_detect_format(name: str, expected: ListFormat) -> None:
    assert detect_format(name) is expected
    assert detect_format(Path(name)) is expected


@pytest.mark.parametrize("name", ["bank", "bank.json", "bank.csv.gz", "csv"])
def test_unknown_extension(name: str) -> None:
    with pytest.raises(UnknownListFormat, match="name the format explicitly"):
        detect_format(name)


def test_read_list_defaults(tmp_path: Path, random_hash: HexMaker) -> None:
    value = random_hash("md5")
    path = tmp_path / "partner-2024.csv"
    path.write_text(f"signal_type,hash\nmd5,{value}\n")
    hash_list = read_list(path)
    assert hash_list == HashList(
        "partner-2024", [ListEntry("md5", value)], source=str(path), verified=False
    )


def test_read_list_settings(tmp_path: Path, random_hash: HexMaker) -> None:
    value = random_hash("pdq")
    path = tmp_path / "hashes.txt"
    path.write_text(f"{value}\n")
    hash_list = read_list(
        str(path),
        signal_type="pdq",
        name="analysts",
        category=Category.CSAM,
        verified=True,
        threshold=20,
    )
    assert (hash_list.name, hash_list.category, hash_list.verified) == ("analysts", "csam", True)
    assert hash_list.pdq_threshold == 20
    assert hash_list.entries == [ListEntry("pdq", value)]


def test_explicit_format_wins(tmp_path: Path, random_hash: HexMaker) -> None:
    value = random_hash("sha1")
    path = tmp_path / "export.dat"
    path.write_text(f'{{"signal_type":"sha1","hash":"{value}"}}\n')
    assert read_list(path, format="ndjson").entries == [ListEntry("sha1", value)]
    with pytest.raises(UnknownListFormat, match="unknown list format 'xml'"):
        read_list(path, format="xml")


def test_a_file_with_any_error_imports_nothing(tmp_path: Path, random_hash: HexMaker) -> None:
    path = tmp_path / "bank.txt"
    good = [random_hash("md5") for _ in range(3)]
    path.write_text("\n".join([*good, "oops", *good]) + "\n")
    with pytest.raises(ListFormatError) as caught:
        read_list(path, signal_type="md5")
    assert caught.value.source == str(path)
    assert [(error.line, error.reason) for error in caught.value.errors] == [
        (4, "a md5 hash has 32 hex digits, got 4")
    ]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_list(tmp_path / "absent.csv")


def test_write_list_to_paths(tmp_path: Path, random_hash: HexMaker) -> None:
    hash_list = HashList("bank", [ListEntry("md5", random_hash("md5"), note="n")])
    for name in ("out.csv", "out.jsonl", "out.txt"):
        write_list(hash_list, tmp_path / name)
        again = read_list(tmp_path / name, signal_type="md5" if name.endswith("txt") else None)
        assert [entry.hash for entry in again.entries] == [hash_list.entries[0].hash]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.csv", "out.jsonl", "out.txt"]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, random_hash: HexMaker) -> None:
    path = tmp_path / "bank.txt"
    path.write_text("old\n")
    mixed = HashList(
        "m", [ListEntry("md5", random_hash("md5")), ListEntry("pdq", random_hash("pdq"))]
    )
    with pytest.raises(ListExportError):
        write_list(mixed, path)
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["bank.txt"]


def test_a_stream_needs_a_format() -> None:
    with pytest.raises(UnknownListFormat, match="name the list format"):
        write_list(HashList("t"), io.BytesIO())
