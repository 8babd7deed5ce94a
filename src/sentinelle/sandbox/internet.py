"""The internet around the providers: registries, upstream networks, the CDN, domains.

Plain data, built with the world (:mod:`.internet_plan`). The RDAP servers
(:mod:`.rdap_server`) answer from it and the IP-to-ASN file (:mod:`.asn`) is
written from it. See "Attribution" in docs/sandbox.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from ipaddress import (
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    ip_address,
    ip_network,
)
from typing import ClassVar, Final

from sentinelle.sandbox.exceptions import UnknownOrganisation, UnknownRegistry
from sentinelle.sandbox.model import Page, Redirect, Served
from sentinelle.sandbox.providers import AbuseStyle, Site

#: Host name of the bootstrap "registry" (what rdap.org or the IANA bootstrap does).
BOOTSTRAP_HOST: Final = "rdap.registry.test"


class OrgKind(StrEnum):
    PROVIDER = "provider"  #: a hosting provider
    UPSTREAM = "upstream"  #: the transit network that routes providers' blocks
    CDN = "cdn"  #: the content delivery network
    REGISTRY = "registry"  #: the registries themselves (their infrastructure range)
    REGISTRAR = "registrar"  #: a domain registrar


class RdapState(StrEnum):
    """How a regional registry answers."""

    UP = "up"
    UNAVAILABLE = "unavailable"  #: 503 with Retry-After and an RDAP error object
    UNREACHABLE = "unreachable"  #: the connection is closed without an answer


@dataclass(frozen=True, slots=True)
class Registry:
    """A regional registry: its RDAP server, and the tag that ends its entity handles."""

    name: str
    title: str
    ip: IPv4Address
    holds_domains: bool = False
    starts_up: bool = True

    @property
    def host(self) -> str:
        return f"rdap.{self.name}.test"

    @property
    def tag(self) -> str:
        return self.name.upper()


@dataclass(frozen=True, slots=True)
class Organisation:
    """Someone registered in RDAP: a provider, an upstream, the CDN, a registrar..."""

    slug: str
    name: str
    kind: OrgKind
    registry: str
    country: str
    language: str
    asn: int | None = None
    abuse_style: AbuseStyle = AbuseStyle.EMBEDDED
    #: A registrar's "IANA Registrar ID".
    iana_id: int | None = None

    def _handle(self, prefix: str) -> str:
        return f"{prefix}-{self.slug.upper()}-{self.registry.upper()}"

    @property
    def handle(self) -> str:
        return self._handle("ORG")

    @property
    def abuse_handle(self) -> str:
        return self._handle("ABUSE")

    @property
    def technical_handle(self) -> str:
        return self._handle("NOC")

    @property
    def abuse_email(self) -> str:
        return f"abuse@{self.slug}.test"

    @property
    def technical_email(self) -> str:
        return f"noc@{self.slug}.test"


@dataclass(frozen=True, slots=True)
class Network:
    """An ``ip network`` object of a registry."""

    cidr: IPv4Network
    name: str
    holder: str
    registry: str
    type: str
    asn: int
    parent: IPv4Network | None = None

    @property
    def handle(self) -> str:
        return network_handle(self.cidr)


def network_handle(cidr: IPv4Network) -> str:
    """``NET-127-64-1-0-24``."""
    return f"NET-{str(cidr.network_address).replace('.', '-')}-{cidr.prefixlen}"


@dataclass(frozen=True, slots=True)
class Domain:
    """A registered domain (``glade-1.example``) and the host a site uses in it."""

    name: str
    host: str
    registrar: str
    registry: str


@dataclass(frozen=True)
class FrontedSite:
    """The site behind the CDN: its ``site.ip`` is the origin, its host resolves to the edge."""

    site: Site
    pages: tuple[Page, ...]
    redirects: tuple[Redirect, ...]
    served: tuple[Served, ...]


@dataclass(frozen=True)
class Cdn:
    slug: str
    name: str
    asn: int
    country: str
    network: IPv4Network
    registry: str
    fronted: tuple[FrontedSite, ...]

    @property
    def edge_ip(self) -> IPv4Address:
        return self.network.network_address + 10

    @property
    def abuse_ip(self) -> IPv4Address:
        return self.network.network_address + 2

    @property
    def edge_host(self) -> str:
        return f"edge.{self.slug}.test"

    @property
    def abuse_host(self) -> str:
        return f"abuse.{self.slug}.test"

    @property
    def abuse_email(self) -> str:
        return f"abuse@{self.slug}.test"

    def fronted_site(self, host: str) -> FrontedSite | None:
        name = host.lower().rstrip(".")
        return next((f for f in self.fronted if f.site.host == name), None)


@dataclass(frozen=True)
class Internet:
    """Registries, organisations, networks, domains and the CDN of one world."""

    seed: int
    bootstrap_ip: IPv4Address
    registries: tuple[Registry, ...]
    organisations: tuple[Organisation, ...]
    networks: tuple[Network, ...]
    domains: tuple[Domain, ...]
    cdn: Cdn

    bootstrap_host: ClassVar[str] = BOOTSTRAP_HOST

    @cached_property
    def _registries(self) -> dict[str, Registry]:
        table = {r.name: r for r in self.registries}
        table.update({r.host: r for r in self.registries})
        return table

    @cached_property
    def _organisations(self) -> dict[str, Organisation]:
        return {o.slug: o for o in self.organisations}

    @cached_property
    def _networks(self) -> dict[IPv4Network, Network]:
        return {n.cidr: n for n in self.networks}

    @cached_property
    def _prefix_lengths(self) -> tuple[int, ...]:
        return tuple(sorted({n.cidr.prefixlen for n in self.networks}, reverse=True))

    @cached_property
    def _domains(self) -> dict[str, Domain]:
        return {d.name: d for d in self.domains}

    def registry(self, name: str) -> Registry:
        """A registry by name (``east``) or host name (``rdap.east.test``)."""
        try:
            return self._registries[name.lower().rstrip(".")]
        except KeyError:
            raise UnknownRegistry(f"no RDAP registry {name!r} in this world") from None

    def organisation_of_asn(self, asn: int) -> Organisation | None:
        return next((o for o in self.organisations if o.asn == asn), None)

    def organisation(self, slug: str) -> Organisation:
        try:
            return self._organisations[slug]
        except KeyError:
            raise UnknownOrganisation(f"no organisation {slug!r} in this world") from None

    def network(self, cidr: IPv4Network | str) -> Network | None:
        return self._networks.get(IPv4Network(cidr))

    def network_of(self, address: IPv4Address | IPv6Address | str) -> Network | None:
        """The most specific network holding ``address`` (None when none does)."""
        ip = ip_address(address) if isinstance(address, str) else address
        if not isinstance(ip, IPv4Address):
            return None
        return self.network_containing(IPv4Network(ip))

    def network_containing(self, prefix: IPv4Network) -> Network | None:
        """The most specific network holding the whole of ``prefix``."""
        for length in self._prefix_lengths:
            if length <= prefix.prefixlen:
                found = self._networks.get(prefix.supernet(new_prefix=length))
                if found is not None:
                    return found
        return None

    def networks_of(self, holder: str) -> tuple[Network, ...]:
        return tuple(n for n in self.networks if n.holder == holder)

    def upstream_of(self, slug: str) -> Organisation | None:
        """The organisation holding the parent of ``slug``'s first network."""
        own = self.networks_of(slug)
        if not own or own[0].parent is None:
            return None
        parent = self._networks[own[0].parent]
        return self.organisation(parent.holder)

    def domain(self, name: str) -> Domain | None:
        return self._domains.get(name.lower().rstrip("."))

    def hosts(self) -> dict[str, IPv4Address]:
        """Host names of the registries, the CDN and the fronted sites."""
        table = {self.bootstrap_host: self.bootstrap_ip}
        table.update({r.host: r.ip for r in self.registries})
        table[self.cdn.edge_host] = self.cdn.edge_ip
        table[self.cdn.abuse_host] = self.cdn.abuse_ip
        table.update({f.site.host: self.cdn.edge_ip for f in self.cdn.fronted})
        return table


def as_network(value: str) -> IPv4Network | IPv6Network | None:
    """An address or prefix (``127.64.1.10``, ``127.64.1.0/24``) as a network; None if it is
    neither."""
    try:
        return ip_network(value, strict=False)
    except ValueError:
        return None
