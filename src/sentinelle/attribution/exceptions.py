"""Errors of attribution (no Django here: the plain modules raise them too)."""

from __future__ import annotations

from sentinelle.exceptions import SentinelleError


class AttributionError(SentinelleError):
    """Root of the attribution errors."""


class AsnDatabaseError(AttributionError):
    """The IP-to-ASN file is missing, unreadable or malformed (the message says where)."""


class RdapError(AttributionError):
    """An RDAP query gave no usable answer; ``url`` is the URL asked."""

    reason = "rdap-error"

    def __init__(self, message: str, url: str) -> None:
        super().__init__(f"{message}: {url}")
        self.url = url


class RdapUnavailable(RdapError):
    """The registry is down, overloaded or unreachable: try again later (``retry_after`` s)."""

    reason = "rdap-unavailable"

    def __init__(self, message: str, url: str, retry_after: float | None = None) -> None:
        super().__init__(message, url)
        self.retry_after = retry_after


class RdapNotFound(RdapError):
    """The registry holds no such object (HTTP 404, with its RDAP error object)."""

    reason = "rdap-not-found"


class RdapRefused(RdapError):
    """The query or one of its redirects leads somewhere the egress guard refuses."""

    reason = "rdap-refused"


class RdapMalformed(RdapError):
    """The answer is not the RDAP JSON that was asked for."""

    reason = "rdap-malformed"


class DirectoryError(AttributionError):
    """A provider directory edit cannot be made as given (nothing was changed)."""


class UnknownProvider(DirectoryError):
    """No provider has that slug."""


class ProviderExists(DirectoryError):
    """A provider already has that slug."""


class InvalidDirectoryEntry(DirectoryError):
    """A value is not usable: a bad network, e-mail address, URL, language or country."""
