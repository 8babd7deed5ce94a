"""Errors of the hashing package: one per way a file can fail to hash."""

from sentinelle.exceptions import SentinelleError


class HashingError(SentinelleError):
    """Root of every hashing error."""

    kind = "hashing-error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MediaError(HashingError):
    """A file that cannot be hashed; ``kind`` names the reason in reports."""


class EmptyMedia(MediaError):
    kind = "empty"


class UnsupportedMedia(MediaError):
    kind = "unsupported"


class CorruptMedia(MediaError):
    kind = "corrupt"


class MediaTooLarge(MediaError):
    kind = "too-large"


class InvalidHash(HashingError):
    """A hash string that is not valid for its signal type."""

    kind = "invalid-hash"


class UnknownSignalType(HashingError):
    kind = "unknown-signal-type"
