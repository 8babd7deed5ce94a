"""Why the egress guard refused a URL: :class:`Refusal` (a reason) and :class:`EgressBlocked`."""

from __future__ import annotations

from enum import StrEnum
from ipaddress import IPv4Address, IPv6Address

from sentinelle.crawl.exceptions import CrawlError


class Refusal(StrEnum):
    """The reason for a refusal; also the last part of its stats key ``egress/refused/<reason>``."""

    # the address
    METADATA = "metadata"
    LOOPBACK = "loopback"
    PRIVATE = "private"
    LINK_LOCAL = "link-local"
    SITE_LOCAL = "site-local"
    SHARED = "shared-address-space"
    THIS_NETWORK = "this-network"
    UNSPECIFIED = "unspecified"
    MULTICAST = "multicast"
    BROADCAST = "broadcast"
    DOCUMENTATION = "documentation"
    BENCHMARKING = "benchmarking"
    SPECIAL_PURPOSE = "special-purpose"
    RESERVED = "reserved"
    NOT_GLOBAL = "not-global"
    # the port
    BAD_PORT = "bad-port"
    # the URL or the request
    INVALID_URL = "invalid-url"
    SCHEME = "scheme"
    PROXY = "proxy"


class EgressBlocked(CrawlError):
    """The crawler may not connect where ``url`` leads.

    ``address`` is the refused address (``None`` when the URL itself was refused before any
    address was known); ``detail`` says more, e.g. which IPv4 address an IPv6 address embeds.
    """

    def __init__(
        self,
        reason: Refusal,
        url: str,
        address: IPv4Address | IPv6Address | None = None,
        detail: str = "",
    ) -> None:
        why = f"{reason}, {detail}" if detail else str(reason)
        where = f" -> {address}" if address is not None else ""
        super().__init__(f"egress refused ({why}): {url}{where}")
        self.reason = reason
        self.url = url
        self.address = address
        self.detail = detail

    def __reduce__(self) -> tuple[type[EgressBlocked], tuple[object, ...]]:
        # Exceptions pickle their ``args`` (here the message): keep the fields instead.
        return type(self), (self.reason, self.url, self.address, self.detail)
