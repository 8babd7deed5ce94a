"""Errors raised by the matching engine; every one derives from :class:`MatchingError`."""

from sentinelle.exceptions import SentinelleError


class MatchingError(SentinelleError):
    """Root of every error the matching package raises on purpose."""


class InvalidHashError(MatchingError, ValueError):
    """A hash or batch of hashes has the wrong type, length, shape or dtype."""


class InvalidThresholdError(MatchingError, ValueError):
    """A distance threshold is not an integer between 0 and the hash length in bits."""


class IndexFormatError(MatchingError):
    """An index file is not one we can trust: bad magic, version, kind, sizes or checksum."""
