"""Errors of classification: each says what was refused."""

from sentinelle.exceptions import SentinelleError


class ClassificationError(SentinelleError):
    """Root of the classification errors."""


class UnknownCategory(ClassificationError):
    """The category given is not one an analyst can choose."""


class NotReviewable(ClassificationError):
    """The media is not in the review queue (no kept bytes, no sighting waiting for an analyst)."""


class AlreadyClassified(ClassificationError):
    """This analyst already gave this item a category: a verdict is given once."""


class AlreadyDecided(ClassificationError):
    """The item was decided (by agreement or a supervisor): it takes no more verdicts."""


class NotDisputed(ClassificationError):
    """A supervisor settles only items the analysts disagreed on."""


class RevealRefused(ClassificationError):
    """No fresh, unused reveal of this media by this analyst: the original is not sent."""


class VerifiedListNotVerified(ClassificationError):
    """The configured verified list exists but is not marked verified: nothing is added."""


class NotAPicture(ClassificationError):
    """The kept bytes do not decode as a picture Pillow knows (a video, a broken file)."""


class AwaitingSettlement(ClassificationError):
    """The analysts disagreed on this item: only a supervisor's settlement decides it now."""
