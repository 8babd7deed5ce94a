"""Errors of the lists package, all under :class:`ListsError`.

Two kinds matter at the edge: :class:`ListUsageError` (the caller asked for
something impossible: exit code 2 in the CLI) and :class:`ListFormatError` (the
file itself is bad: nothing was imported, exit code 3).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sentinelle.exceptions import SentinelleError


def quoted(value: str, limit: int = 40) -> str:
    """``value`` as it appears in an error message: repr, cut to about ``limit`` characters."""
    if len(value) > limit:
        return repr(value[:limit]) + "..."
    return repr(value)


class ListsError(SentinelleError):
    """Root of every error of the lists package."""


class ListUsageError(ListsError):
    """Arguments that cannot work: a missing or needless signal type, no format for a stream."""


class UnknownListFormat(ListUsageError):
    """A format name or file extension that names no list format."""


class InvalidCategory(ListsError):
    """A category label that breaks the label rule (see :mod:`sentinelle.lists.categories`)."""


class InvalidEntry(ListsError):
    """A list entry whose fields are not valid; ``reason`` says which and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidHashList(ListsError):
    """A hash list attribute (name, threshold) that is not valid."""


class ListExportError(ListsError):
    """A list that the chosen format cannot hold (e.g. mixed signal types in plain text)."""


@dataclass(frozen=True, slots=True)
class LineError:
    """One problem in a list file: the 1-based physical line and the reason."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class ListFormatError(ListsError):
    """A list file with at least one bad line; nothing of it was imported.

    ``errors`` holds the first problems in file order (at most the report's cap)
    and ``omitted`` counts the ones left out after them.
    """

    def __init__(
        self, errors: list[LineError], *, omitted: int = 0, source: str | None = None
    ) -> None:
        self.errors = errors
        self.omitted = omitted
        self.source = source
        super().__init__(self._message())

    @property
    def total(self) -> int:
        """How many problems the file had, reported or not."""
        return len(self.errors) + self.omitted

    def _message(self) -> str:
        where = f"{self.source}: " if self.source else ""
        noun = "error" if self.total == 1 else "errors"
        lines = [f"{where}{self.total} {noun}, nothing imported"]
        lines.extend(f"  {error}" for error in self.errors)
        if self.omitted:
            lines.append(f"  ... and {self.omitted} more")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """The error as plain data, for JSON output (CLI, API)."""
        return {
            "error": "list-format",
            "source": self.source,
            "errors": [asdict(error) for error in self.errors],
            "omitted": self.omitted,
        }
