"""Hash lists ("banks"): entries in memory, and their CSV, JSON Lines and plain-text files.

See ``docs/lists.md`` for the formats and rules.
"""

from sentinelle.lists.categories import (
    CATEGORY_PATTERN,
    Category,
    is_valid_category,
    validate_category,
)
from sentinelle.lists.exceptions import (
    InvalidCategory,
    InvalidEntry,
    InvalidHashList,
    LineError,
    ListExportError,
    ListFormatError,
    ListsError,
    ListUsageError,
    UnknownListFormat,
)
from sentinelle.lists.files import parse_list, read_list, write_list
from sentinelle.lists.formats import ListFormat, detect_format
from sentinelle.lists.lines import MAX_LINE_BYTES, ListSource
from sentinelle.lists.models import MAX_ID_LENGTH, MAX_NOTE_LENGTH, HashList, ListEntry
from sentinelle.lists.report import MAX_REPORTED_ERRORS

__all__ = [
    "CATEGORY_PATTERN",
    "MAX_ID_LENGTH",
    "MAX_LINE_BYTES",
    "MAX_NOTE_LENGTH",
    "MAX_REPORTED_ERRORS",
    "Category",
    "HashList",
    "InvalidCategory",
    "InvalidEntry",
    "InvalidHashList",
    "LineError",
    "ListEntry",
    "ListExportError",
    "ListFormat",
    "ListFormatError",
    "ListSource",
    "ListUsageError",
    "ListsError",
    "UnknownListFormat",
    "detect_format",
    "is_valid_category",
    "parse_list",
    "read_list",
    "validate_category",
    "write_list",
]
