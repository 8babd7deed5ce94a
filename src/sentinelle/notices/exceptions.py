"""Errors of the notices."""

from sentinelle.exceptions import SentinelleError


class NoticesError(SentinelleError):
    """Root of the notice errors."""


class InvalidRecipient(NoticesError):
    """A recipient without a usable address, language or name."""


class InvalidNoticeItem(NoticesError):
    """An item that cannot go on a notice (bad URL, hash, category or time)."""


class UnknownNotice(NoticesError):
    """No notice has that reference or id."""


class InvalidTransition(NoticesError):
    """The notice is not in a state that allows the change asked for."""


class DeliveryConfigError(NoticesError):
    """A delivery setting (SMTP URL, sender address) cannot be used."""


class UnknownNoticeItem(NoticesError):
    """No notice item has that id or report id."""


class UnknownHotline(NoticesError):
    """No hotline is listed for that country."""
