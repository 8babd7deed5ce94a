"""Simulated hosting providers and the sites they host, each on its own loopback address.

Provider ``i`` owns ``127.<64 + i // 200>.<1 + i % 200>.0/24``: never 127.0.0.0/24 or
127.0.1.0/24, which the machine itself uses. In its range ``.1`` is the provider's
takedown desk (``takedown.<slug>.test``), ``.2`` may be the origin of the site a CDN
fronts, and sites take ``.10`` upwards. How each provider shows in RDAP (its abuse
contact's style, its language) is here too; the registries around it are in
:mod:`.internet`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network
from typing import Final

#: Number of providers one second octet holds.
PROVIDERS_PER_OCTET: Final = 200
#: First address of a site in a provider's range (".1" is the takedown desk).
FIRST_SITE_HOST: Final = 10
#: Address of the origin server behind the CDN, in the origin provider's range.
ORIGIN_HOST: Final = 2
#: Sites one provider can hold (.10 to .254).
MAX_SITES_PER_PROVIDER: Final = 245
#: Most providers a world may have.
MAX_PROVIDERS: Final = 20 * PROVIDERS_PER_OCTET
#: First network number: 64496-64511 are reserved for documentation (RFC 5398).
FIRST_ASN: Final = 64500


class PolicyAction(StrEnum):
    """What a provider does with a takedown request."""

    IMMEDIATE = "immediate"  #: removes at once
    DELAYED = "delayed"  #: removes after ``delay`` seconds
    NEVER = "never"  #: acknowledges and does nothing
    DISPUTE = "dispute"  #: answers that it disputes the request, removes nothing


@dataclass(frozen=True, slots=True)
class TakedownPolicy:
    action: PolicyAction = PolicyAction.IMMEDIATE
    #: Seconds between the request and the removal (``DELAYED`` only).
    delay: float = 0.0

    def __str__(self) -> str:
        if self.action is PolicyAction.DELAYED:
            return f"{self.action} {self.delay:g}s"
        return str(self.action)


#: Policies given to providers in turn, unless the caller chooses.
DEFAULT_POLICIES: Final = (
    TakedownPolicy(PolicyAction.IMMEDIATE),
    TakedownPolicy(PolicyAction.DELAYED, 30.0),
    TakedownPolicy(PolicyAction.NEVER),
    TakedownPolicy(PolicyAction.DISPUTE),
)


class AbuseStyle(StrEnum):
    """How a provider's network shows its abuse contact in RDAP."""

    EMBEDDED = "embedded"  #: the abuse entity with its vcardArray, in the network answer
    LINKED = "linked"  #: the abuse entity by handle and ``self`` link only: follow it
    NONE = "none"  #: no abuse entity at all (registrant and technical only)


@dataclass(frozen=True, slots=True)
class Provider:
    """A hosting provider: its network, who to write to, and how it answers notices."""

    index: int
    slug: str
    name: str
    asn: int
    country: str
    abuse_email: str
    network: IPv4Network
    policy: TakedownPolicy
    #: Status of a removed URL: 404 or 410.
    gone_status: int
    #: Language its notices should be written in (BCP 47 tag: ``en`` or ``fr``).
    language: str = "en"
    abuse_style: AbuseStyle = AbuseStyle.EMBEDDED

    @property
    def technical_email(self) -> str:
        return f"noc@{self.slug}.test"

    @property
    def control_host(self) -> str:
        """Host name of the provider's takedown desk."""
        return f"takedown.{self.slug}.test"

    @property
    def control_ip(self) -> IPv4Address:
        return self.network.network_address + 1


class SiteRole(StrEnum):
    ORDINARY = "ordinary"  #: pages placing images every way
    TRAPS = "traps"  #: the hostile cases
    FRONTED = "fronted"  #: the site behind the CDN (not in ``world.sites``)


@dataclass(frozen=True, slots=True)
class Site:
    """A web site: one host name on one address of its provider's range."""

    index: int
    host: str
    ip: IPv4Address
    provider: str
    role: SiteRole = SiteRole.ORDINARY


def provider_network(index: int) -> IPv4Network:
    second = 64 + index // PROVIDERS_PER_OCTET
    third = 1 + index % PROVIDERS_PER_OCTET
    return IPv4Network(f"127.{second}.{third}.0/24")


def provider_language(index: int) -> str:
    """``en`` for even providers, ``fr`` for odd ones."""
    return "fr" if index % 2 else "en"


def provider_abuse_style(index: int) -> AbuseStyle:
    """Every fourth provider (2, 6, ...) publishes no abuse contact; else embedded for even
    providers, linked for odd ones."""
    if index % 4 == 2:
        return AbuseStyle.NONE
    return AbuseStyle.LINKED if index % 2 else AbuseStyle.EMBEDDED


def site_address(network: IPv4Network, number: int) -> IPv4Address:
    """The address of a provider's ``number``-th site (from 0)."""
    return network.network_address + FIRST_SITE_HOST + number
