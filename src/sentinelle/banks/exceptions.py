"""Errors of the stored lists."""

from sentinelle.exceptions import SentinelleError


class BanksError(SentinelleError):
    """Root of the stored-list errors."""


class UnknownList(BanksError):
    """No stored list has that name."""


class ListExists(BanksError):
    """A stored list already has that name."""


class HashAlreadyListed(BanksError):
    """The hash is already in that list."""


class HashNotListed(BanksError):
    """The hash is not in that list."""
