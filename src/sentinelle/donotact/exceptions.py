"""Errors of the do-not-act list."""

from sentinelle.exceptions import SentinelleError


class DoNotActError(SentinelleError):
    """Root of the do-not-act errors."""


class InvalidDoNotAct(DoNotActError):
    """A value that cannot go on the list (bad hash, URL or host)."""


class UnknownDoNotAct(DoNotActError):
    """No such entry."""
