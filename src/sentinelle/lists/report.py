"""Collecting the problems of one list file, to raise them all at once."""

from __future__ import annotations

from typing import Final

from sentinelle.lists.exceptions import LineError, ListFormatError

#: How many problems a :class:`ListFormatError` lists; the rest are only counted.
MAX_REPORTED_ERRORS: Final = 100


class ErrorReport:
    """The problems found so far in one file, the first ``cap`` kept in full."""

    def __init__(self, source: str | None = None, *, cap: int = MAX_REPORTED_ERRORS) -> None:
        self.source = source
        self.cap = cap
        self.errors: list[LineError] = []
        self.omitted = 0

    @property
    def ok(self) -> bool:
        """True while no problem has been found."""
        return not self.errors and not self.omitted

    def add(self, line: int, reason: str) -> None:
        if len(self.errors) < self.cap:
            self.errors.append(LineError(line, reason))
        else:
            self.omitted += 1

    def raise_if_any(self) -> None:
        """Raise one :class:`ListFormatError` carrying every problem, if there was one."""
        if not self.ok:
            raise ListFormatError(list(self.errors), omitted=self.omitted, source=self.source)
