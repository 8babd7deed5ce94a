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
