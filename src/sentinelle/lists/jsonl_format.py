"""JSON Lines lists: one JSON object per line.

Each object has the string keys ``signal_type`` and ``hash`` and may have
``category``, ``id`` and ``note`` (a string, or null for none). Other keys, a
key given twice, or a value of another type are errors. Blank lines are
skipped. Export writes compact objects (no spaces), keys in that fixed order,
keys whose value is none left out, non-ASCII characters as UTF-8.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from sentinelle.lists.exceptions import InvalidEntry, quoted
from sentinelle.lists.formats import TextSink
from sentinelle.lists.lines import Line
from sentinelle.lists.models import ENTRY_FIELDS, REQUIRED_FIELDS, ListEntry
from sentinelle.lists.report import ErrorReport


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


_JSON_TYPES: Final[tuple[tuple[type | tuple[type, ...], str], ...]] = (
    (bool, "boolean"),
    ((int, float), "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def _json_type(value: object) -> str:
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "null")


def _load(text: str) -> Any:
    """The JSON value on a line, or :class:`InvalidEntry` saying why there is none."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as error:
        raise InvalidEntry(f"duplicate key {quoted(error.key)}") from None
    except json.JSONDecodeError as error:
        raise InvalidEntry(f"invalid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise InvalidEntry("invalid JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer with thousands of digits
        raise InvalidEntry(f"invalid JSON: {error}") from None


def _entry(value: Any) -> ListEntry:
    if not isinstance(value, dict):
        raise InvalidEntry(f"expected a JSON object, got {_json_type(value)}")
    unknown = [quoted(key) for key in value if key not in ENTRY_FIELDS]
    if unknown:
        known = ", ".join(ENTRY_FIELDS)
        noun = "key" if len(unknown) == 1 else "keys"
        raise InvalidEntry(f"unknown {noun} {', '.join(unknown)} (keys: {known})")
    for key, field_value in value.items():
        if field_value is not None and not isinstance(field_value, str):
            raise InvalidEntry(f"{key} must be a string, got {_json_type(field_value)}")
    for key in REQUIRED_FIELDS:
        if not value.get(key):
            raise InvalidEntry(f"missing {key}")
    return ListEntry(**value)


def parse_jsonl(lines: Iterable[Line], report: ErrorReport) -> Iterator[ListEntry]:
    """An entry for each object line; bad lines go to ``report``."""
    for line in lines:
        if not line.text.strip():
            continue
        try:
            entry = _entry(_load(line.text))
        except InvalidEntry as error:
            report.add(line.number, error.reason)
            continue
        yield entry


def write_jsonl(entries: Sequence[ListEntry], sink: TextSink) -> None:
    for entry in entries:
        fields = {key: value for key in ENTRY_FIELDS if (value := getattr(entry, key)) is not None}
        sink.write(json.dumps(fields, ensure_ascii=False, separators=(",", ":")) + "\n")
