"""The world's IP-to-ASN data, in the iptoasn.com format (``ip2asn-v4.tsv``).

One line per range: ``range_start \\t range_end \\t AS_number \\t country_code \\t
AS_description``, sorted, not overlapping, covering the whole IPv4 space; ranges
nobody announces are ``0 \\t None \\t Not routed``. Each address maps to the AS of
the most specific network holding it: a provider's /24 to the provider, the rest
of an upstream block to the upstream, the CDN's and the registries' ranges to theirs.
"""

from __future__ import annotations

from collections import defaultdict
from ipaddress import IPv4Address, IPv4Network
from typing import Final, NamedTuple

from sentinelle.sandbox.model import World

FILE_NAME: Final = "ip2asn-v4.tsv"
NOT_ROUTED: Final = (0, "None", "Not routed")
_LAST: Final = 2**32 - 1


class Route(NamedTuple):
    start: int
    end: int
    asn: int
    country: str
    description: str


def _announced(network: IPv4Network, inside: list[IPv4Network]) -> list[IPv4Network]:
    """``network`` without the more specific networks inside it."""
    pieces = [network]
    for child in inside:
        pieces = [
            part
            for piece in pieces
            for part in (piece.address_exclude(child) if child.subnet_of(piece) else [piece])
        ]
    return pieces


def routes(world: World) -> list[Route]:
    """The routed ranges of ``world``, sorted, adjacent ones of the same AS merged."""
    internet = world.internet
    children: dict[IPv4Network, list[IPv4Network]] = defaultdict(list)
    for network in internet.networks:
        if network.parent is not None:
            children[network.parent].append(network.cidr)
    found = []
    for network in internet.networks:
        org = internet.organisation(network.holder)
        description = f"{org.slug.upper()} - {org.name}"
        for piece in _announced(network.cidr, children[network.cidr]):
            first, last = int(piece.network_address), int(piece.broadcast_address)
            found.append(Route(first, last, network.asn, org.country, description))
    found.sort()
    merged: list[Route] = []
    for route in found:
        if merged and merged[-1].end + 1 == route.start and merged[-1][2:] == route[2:]:
            merged[-1] = merged[-1]._replace(end=route.end)
        else:
            merged.append(route)
    return merged


def asn_table(world: World) -> str:
    """The text of ``ip2asn-v4.tsv`` for ``world``."""
    lines = []
    cursor = 0
    for route in [*routes(world), Route(_LAST + 1, _LAST + 1, *NOT_ROUTED)]:
        if route.start > cursor:
            lines.append(Route(cursor, route.start - 1, *NOT_ROUTED))
        if route.start <= _LAST:
            lines.append(route)
        cursor = route.end + 1
    return "".join(
        f"{IPv4Address(r.start)}\t{IPv4Address(r.end)}\t{r.asn}\t{r.country}\t{r.description}\n"
        for r in lines
    )
