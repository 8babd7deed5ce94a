"""RDAP objects (RFC 9083) as plain data: IP networks, entities, domains, error objects.

Only the members attribution reads are kept; an answer missing what it must hold (an IP
network without addresses, an object of the wrong class) is :class:`RdapMalformed`. No
Django here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address, ip_address, summarize_address_range
from typing import Any
from urllib.parse import urljoin

from sentinelle.attribution.exceptions import RdapMalformed
from sentinelle.attribution.jcard import VCard, parse_vcard

Address = IPv4Address | IPv6Address


@dataclass(frozen=True)
class Link:
    rel: str
    href: str
    type: str = ""


@dataclass(frozen=True)
class Entity:
    handle: str
    roles: tuple[str, ...]
    card: VCard
    links: tuple[Link, ...] = ()
    entities: tuple[Entity, ...] = ()

    @property
    def self_url(self) -> str | None:
        return link(self.links, "self")

    def walk(self) -> list[Entity]:
        """This entity and every entity nested in it, depth first."""
        return [self, *(inner for nested in self.entities for inner in nested.walk())]


@dataclass(frozen=True)
class IpNetwork:
    handle: str
    first: Address
    last: Address
    name: str = ""
    type: str = ""
    country: str = ""
    parent_handle: str = ""
    entities: tuple[Entity, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def cidrs(self) -> list[str]:
        return [str(n) for n in summarize_address_range(self.first, self.last)]

    @property
    def self_url(self) -> str | None:
        return link(self.links, "self")

    @property
    def up_url(self) -> str | None:
        return link(self.links, "up")

    def all_entities(self) -> list[Entity]:
        return [inner for entity in self.entities for inner in entity.walk()]


@dataclass(frozen=True)
class Domain:
    name: str
    handle: str = ""
    entities: tuple[Entity, ...] = field(default=())

    def all_entities(self) -> list[Entity]:
        return [inner for entity in self.entities for inner in entity.walk()]


def link(links: tuple[Link, ...], rel: str) -> str | None:
    for item in links:
        if item.rel == rel:
            return item.href
    return None


def _class(data: Any, expected: str, url: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise RdapMalformed("the answer is not a JSON object", url)
    if data.get("objectClassName") != expected:
        raise RdapMalformed(f"objectClassName {data.get('objectClassName')!r}, {expected!r} expected", url)
    return data


def _links(data: dict[str, Any], url: str) -> tuple[Link, ...]:
    """The object's links, relative ones made absolute against the answer's URL."""
    found = []
    for item in data.get("links") or []:
        if isinstance(item, dict) and isinstance(item.get("href"), str):
            href = urljoin(url, item["href"]) if url else item["href"]
            found.append(Link(str(item.get("rel", "")), href, str(item.get("type", ""))))
    return tuple(found)


def parse_entity(data: Any, url: str = "") -> Entity:
    entity = _class(data, "entity", url)
    roles = entity.get("roles") or []
    card = parse_vcard(entity["vcardArray"], url) if "vcardArray" in entity else VCard()
    nested = tuple(parse_entity(inner, url) for inner in entity.get("entities") or [])
    return Entity(
        str(entity.get("handle", "")), tuple(str(r).lower() for r in roles if isinstance(r, str)),
        card, _links(entity, url), nested,
    )


def parse_network(data: Any, url: str = "") -> IpNetwork:
    network = _class(data, "ip network", url)
    try:
        first, last = ip_address(network["startAddress"]), ip_address(network["endAddress"])
    except (KeyError, TypeError, ValueError):
        raise RdapMalformed("an ip network without a valid startAddress and endAddress", url) from None
    if first.version != last.version or int(first) > int(last):
        raise RdapMalformed(f"{first}-{last} is not a range", url)
    return IpNetwork(
        handle=str(network.get("handle", "")), first=first, last=last,
        name=str(network.get("name", "")), type=str(network.get("type", "")),
        country=str(network.get("country", "")), parent_handle=str(network.get("parentHandle", "")),
        entities=tuple(parse_entity(e, url) for e in network.get("entities") or []),
        links=_links(network, url),
    )


def parse_domain(data: Any, url: str = "") -> Domain:
    domain = _class(data, "domain", url)
    return Domain(
        name=str(domain.get("ldhName", "")).lower(), handle=str(domain.get("handle", "")),
        entities=tuple(parse_entity(e, url) for e in domain.get("entities") or []),
    )


def error_text(data: Any) -> str:
    """The RDAP error object's title and description, as one line (or "")."""
    if not isinstance(data, dict):
        return ""
    parts = [str(data.get("title", ""))]
    description = data.get("description")
    if isinstance(description, list):
        parts.extend(str(line) for line in description)
    return " ".join(part for part in parts if part).strip()
