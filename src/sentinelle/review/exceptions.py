"""Errors of the review store."""

from sentinelle.config import ConfigurationError
from sentinelle.exceptions import SentinelleError


class ReviewError(SentinelleError):
    """Root of the review errors."""


class ReviewKeyError(ReviewError):
    """A review key is missing, malformed or unsafe."""


class InvalidReviewKey(ReviewKeyError, ConfigurationError):
    """A configured or stored key is not a Fernet key (32 bytes, urlsafe base64)."""


class InsecureKeyFile(ReviewKeyError, ConfigurationError):
    """The development key file can be read by other users."""


class UnknownReviewKey(ReviewKeyError):
    """Media was encrypted with a key the key provider does not hold."""


class DecryptionFailed(ReviewError):
    """The ciphertext does not open with its key (wrong key, or the data was altered)."""


class ReviewRefused(ReviewError):
    """These bytes may not be kept for review."""


class PageNotConfirmed(ReviewRefused):
    """The media was not seen on a confirmed page (a page with a match)."""


class MediaIsKnown(ReviewRefused):
    """The media matched a list: known material's bytes are never kept."""


class ContentMismatch(ReviewRefused):
    """The bytes given are not the media's (their SHA-256 differs)."""


class ReviewMediaMissing(ReviewError):
    """No bytes are kept for this media (never stored, or already purged)."""


class ReviewMediaExpired(ReviewError):
    """The bytes are past their retention time (the purge job has not run yet)."""
