"""The examples in docs/lists.md are real: each one reads as the page says."""

from __future__ import annotations

import re
from pathlib import Path

from sentinelle.lists import ListEntry, parse_list

DOC = Path(__file__).resolve().parents[2] / "docs" / "lists.md"
FORMATS = {"csv": "csv", "json": "jsonl", "text": "text"}


def examples() -> dict[str, str]:
    blocks = re.findall(r"```(csv|json|text)\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    found: dict[str, str] = {}
    for kind, body in blocks:
        found.setdefault(FORMATS[kind], body)  # the first block of each kind is the example
    return found


def test_format_examples_read() -> None:
    found = examples()
    counts = {"csv": 3, "jsonl": 2, "text": 2}
    for format, body in found.items():
        signal_type = "md5" if format == "text" else None
        hash_list = parse_list(body, format, name="doc", signal_type=signal_type)
        assert len(hash_list.entries) == counts[format]
        assert hash_list.entries[0].hash == "9e107d9d372bb6826bd81d3542a419d6"
    csv_list = parse_list(found["csv"], "csv", name="doc")
    assert csv_list.entries[1] == ListEntry(
        "pdq",
        "00c77c05ad9790bc0267f51c6f72f36aa48eb9f628c4720d3ca84b7fad39f32b",
        note='seen on two hosts, "mirror" site',
    )
