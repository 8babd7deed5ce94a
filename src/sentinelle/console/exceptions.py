"""Errors of the analysts' console. Each carries a ``code`` the pages translate."""

from sentinelle.exceptions import SentinelleError


class ConsoleError(SentinelleError):
    """Root of the console's errors."""

    code = "invalid"


class UnknownReport(ConsoleError):
    """No report has this reference."""

    code = "unknown-report"


class UnknownOutcome(ConsoleError):
    """The outcome is not one of :class:`~sentinelle.console.models.Outcome`."""

    code = "unknown-outcome"


class UnknownDecision(ConsoleError):
    """The answer to a provider's response is not one its kind allows (uphold, accept, answered)."""

    code = "unknown-decision"


class NoteMissing(ConsoleError):
    """An answer to a dispute or question needs the analyst's note (why)."""

    code = "note-missing"


class AlreadyAnswered(ConsoleError):
    """The provider's response was answered already, or needs no analyst."""

    code = "already-answered"
