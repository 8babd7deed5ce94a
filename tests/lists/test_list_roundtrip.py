"""Any list sentinelle exports reads back as the same entries and re-exports byte for byte."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from sentinelle.hashing.signals import SIGNAL_TYPES
from sentinelle.lists import HashList, ListEntry, ListFormat, parse_list, write_list

# Characters that stress quoting and line handling, mixed into arbitrary Unicode.
_TRICKY = [*",\"'\n\r\t #=;\\", "\r\n", "é", "\u2028", "\x85", "\ufeff", "\U0001f600"]
_TEXT_CHARACTERS = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")

notes = st.lists(st.one_of(_TEXT_CHARACTERS, st.sampled_from(_TRICKY)), max_size=40).map("".join)
ids = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(list(',"# ')),
    max_size=20,
)
categories = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}", fullmatch=True)


@st.composite
def entries(draw: st.DrawFn, signal_type: str | None = None) -> ListEntry:
    name = signal_type or draw(st.sampled_from(sorted(SIGNAL_TYPES)))
    size = SIGNAL_TYPES[name].hex_length // 2
    value = draw(st.binary(min_size=size, max_size=size)).hex()
    if draw(st.booleans()):
        value = value.upper()  # read as lowercase
    return ListEntry(
        name,
        value,
        category=draw(st.none() | categories),
        id=draw(st.none() | ids),
        note=draw(st.none() | notes),
    )


def export(hash_list: HashList, format: ListFormat) -> bytes:
    stream = io.BytesIO()
    write_list(hash_list, stream, format=format)
    return stream.getvalue()


def check_round_trip(hash_list: HashList, format: ListFormat, signal_type: str | None) -> None:
    exported = export(hash_list, format)
    again = parse_list(exported, format, name="again", signal_type=signal_type)
    assert export(again, format) == exported


@given(st.lists(entries(), max_size=8))
def test_csv_round_trip(items: list[ListEntry]) -> None:
    hash_list = HashList("bank", items)
    check_round_trip(hash_list, ListFormat.CSV, None)
    again = parse_list(export(hash_list, ListFormat.CSV), "csv", name="again")
    assert again.entries == items


@given(st.lists(entries(), max_size=8))
def test_jsonl_round_trip(items: list[ListEntry]) -> None:
    hash_list = HashList("bank", items)
    check_round_trip(hash_list, ListFormat.JSONL, None)
    again = parse_list(export(hash_list, ListFormat.JSONL), "jsonl", name="again")
    assert again.entries == items


single_type_lists = st.sampled_from(sorted(SIGNAL_TYPES)).flatmap(
    lambda name: st.tuples(st.just(name), st.lists(entries(name), max_size=8))
)


@given(single_type_lists)
def test_text_round_trip(case: tuple[str, list[ListEntry]]) -> None:
    name, items = case
    hash_list = HashList("bank", items)
    check_round_trip(hash_list, ListFormat.TEXT, name)
    again = parse_list(export(hash_list, ListFormat.TEXT), "text", name="again", signal_type=name)
    assert again.entries == [ListEntry(name, item.hash) for item in items]
