"""Entries, lists and categories: what is valid, and how values are normalised."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sentinelle.lists import (
    Category,
    HashList,
    InvalidCategory,
    InvalidEntry,
    InvalidHashList,
    LineError,
    ListEntry,
    ListFormatError,
    is_valid_category,
    validate_category,
)

HexMaker = Callable[[str], str]


def test_entry_normalises_case_and_empty_fields(random_hash: HexMaker) -> None:
    value = random_hash("sha1")
    entry = ListEntry(" SHA1 ", value.upper(), category="", id="", note="")
    assert entry == ListEntry("sha1", value)
    assert (entry.signal_type, entry.hash) == ("sha1", value)
    assert (entry.category, entry.id, entry.note) == (None, None, None)


def test_entry_is_frozen(random_hash: HexMaker) -> None:
    entry = ListEntry("md5", random_hash("md5"))
    with pytest.raises(AttributeError):
        entry.hash = random_hash("md5")  # type: ignore[misc]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"signal_type": "crc32"}, "unknown signal type 'crc32' (known: pdq, md5, sha1, sha256)"),
        ({"hash": "abc"}, "a md5 hash has 32 hex digits, got 3"),
        ({"hash": "g" * 32}, "a md5 hash is hexadecimal"),
        ({"category": "CSAM"}, "category 'CSAM' is not a valid label"),
        ({"id": "a\tb"}, "id 'a\\tb' contains a control character"),
        ({"id": "x" * 257}, "id is over 256 characters"),
        ({"id": "\ud800"}, "id is not valid Unicode text"),
        ({"note": "n" * 4097}, "note is over 4096 characters"),
        ({"note": "a\x00b"}, "note contains a NUL character"),
        ({"note": "\udfff"}, "note is not valid Unicode text"),
    ],
)
def test_entry_rejects(random_hash: HexMaker, fields: dict[str, str], reason: str) -> None:
    values = {"signal_type": "md5", "hash": random_hash("md5"), **fields}
    with pytest.raises(InvalidEntry) as caught:
        ListEntry(**values)
    assert caught.value.reason.startswith(reason)


def test_entry_accepts_limits_and_free_text(random_hash: HexMaker) -> None:
    entry = ListEntry("pdq", random_hash("pdq"), id="i" * 256, note='é,"\n\r\t' + "n" * 4090)
    assert entry.id is not None and len(entry.id) == 256


def test_huge_values_give_short_reasons(random_hash: HexMaker) -> None:
    with pytest.raises(InvalidEntry) as caught:
        ListEntry("x" * 100_000, random_hash("md5"))
    assert len(caught.value.reason) < 200


@pytest.mark.parametrize(
    "label", ["csam", "harmful-abusive", "0", "a" * 64, "hotline.fr_2024-x", "9z"]
)
def test_valid_category_labels(label: str) -> None:
    assert is_valid_category(label)
    assert validate_category(label) == label


@pytest.mark.parametrize(
    "label", ["", "CSAM", " csam", "csam ", "-x", ".x", "_x", "a" * 65, "é", "a b", "a/b", "a\n"]
)
def test_invalid_category_labels(label: str) -> None:
    assert not is_valid_category(label)
    with pytest.raises(InvalidCategory, match="is not a valid label"):
        validate_category(label)


def test_named_categories() -> None:
    assert Category.CSAM.value == "csam"
    assert Category.HARMFUL_ABUSIVE.value == "harmful-abusive"
    assert all(is_valid_category(category) for category in Category)


def test_hash_list_defaults_and_categories(random_hash: HexMaker) -> None:
    own = ListEntry("md5", random_hash("md5"), category="hotline-own")
    plain = ListEntry("md5", random_hash("md5"))
    hash_list = HashList("bank", [own, plain], category=Category.CSAM)
    assert not hash_list.verified
    assert hash_list.threshold is None and hash_list.pdq_threshold == 31
    assert hash_list.category_of(own) == "hotline-own"
    assert hash_list.category_of(plain) == "csam"
    assert HashList("bank", threshold=0).pdq_threshold == 0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": " "}, InvalidHashList),
        ({"category": "Bad"}, InvalidCategory),
        ({"threshold": -1}, InvalidHashList),
        ({"threshold": 257}, InvalidHashList),
        ({"threshold": True}, InvalidHashList),
    ],
)
def test_hash_list_rejects(kwargs: dict[str, object], error: type[Exception]) -> None:
    values: dict[str, object] = {"name": "bank", **kwargs}
    with pytest.raises(error):
        HashList(**values)  # type: ignore[arg-type]


def test_format_error_shape() -> None:
    errors = [LineError(2, "bad hex"), LineError(7, "missing hash")]
    error = ListFormatError(errors, omitted=3, source="bank.csv")
    assert str(LineError(2, "bad hex")) == "line 2: bad hex"
    assert error.total == 5
    assert str(error) == (
        "bank.csv: 5 errors, nothing imported\n"
        "  line 2: bad hex\n"
        "  line 7: missing hash\n"
        "  ... and 3 more"
    )
    assert error.as_dict() == {
        "error": "list-format",
        "source": "bank.csv",
        "errors": [{"line": 2, "reason": "bad hex"}, {"line": 7, "reason": "missing hash"}],
        "omitted": 3,
    }
    assert str(ListFormatError([LineError(1, "x")])) == "1 error, nothing imported\n  line 1: x"
