"""The address table of the egress guard: which destinations the crawler never connects to.

:func:`classify` answers the :class:`~.egress_exceptions.Refusal` for an address, or ``None``
for an address on the public internet. The first matching row of the table wins; an IPv6
address that carries an IPv4 address (IPv4-mapped, -compatible, -translated, NAT64, 6to4,
Teredo) is refused when the IPv4 address is; and whatever :mod:`ipaddress` does not call
global is refused last. ``docs/crawl.md`` shows the same table.
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import Final

from sentinelle.crawl.egress_exceptions import Refusal

Address = IPv4Address | IPv6Address

# Cloud metadata services (and their neighbours) that answer instance credentials to anyone
# on the machine. Most are link-local or private anyway; named so the refusal says so.
METADATA_ADDRESSES: Final[tuple[Address, ...]] = (
    IPv4Address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean...
    IPv4Address("169.254.170.2"),  # AWS ECS task metadata and credentials
    IPv4Address("169.254.170.23"),  # AWS EKS pod identity agent
    IPv4Address("169.254.0.23"),  # Tencent Cloud
    IPv4Address("169.254.42.42"),  # Scaleway
    IPv4Address("100.100.100.200"),  # Alibaba Cloud
    IPv4Address("168.63.129.16"),  # Azure WireServer (a public-looking address!)
    IPv4Address("192.0.0.192"),  # Oracle Cloud Classic
    IPv6Address("fd00:ec2::254"),  # AWS IMDS over IPv6
    IPv6Address("fd00:ec2::23"),  # AWS EKS pod identity agent over IPv6
    IPv6Address("fd20:ce::254"),  # Google Cloud metadata over IPv6
    IPv6Address("fd00:42::42"),  # Scaleway over IPv6
)

_V4: Final[tuple[tuple[IPv4Network, Refusal], ...]] = tuple(
    (IPv4Network(network), reason)
    for network, reason in (
        ("0.0.0.0/32", Refusal.UNSPECIFIED),
        ("0.0.0.0/8", Refusal.THIS_NETWORK),
        ("127.0.0.0/8", Refusal.LOOPBACK),
        ("10.0.0.0/8", Refusal.PRIVATE),
        ("172.16.0.0/12", Refusal.PRIVATE),
        ("192.168.0.0/16", Refusal.PRIVATE),
        ("169.254.0.0/16", Refusal.LINK_LOCAL),
        ("100.64.0.0/10", Refusal.SHARED),
        ("192.0.0.0/24", Refusal.SPECIAL_PURPOSE),
        ("192.0.2.0/24", Refusal.DOCUMENTATION),
        ("198.51.100.0/24", Refusal.DOCUMENTATION),
        ("203.0.113.0/24", Refusal.DOCUMENTATION),
        ("198.18.0.0/15", Refusal.BENCHMARKING),
        ("192.88.99.0/24", Refusal.SPECIAL_PURPOSE),
        ("224.0.0.0/4", Refusal.MULTICAST),
        ("255.255.255.255/32", Refusal.BROADCAST),
        ("240.0.0.0/4", Refusal.RESERVED),
    )
)

_V6: Final[tuple[tuple[IPv6Network, Refusal], ...]] = tuple(
    (IPv6Network(network), reason)
    for network, reason in (
        ("::/128", Refusal.UNSPECIFIED),
        ("::1/128", Refusal.LOOPBACK),
        ("64:ff9b:1::/48", Refusal.SPECIAL_PURPOSE),
        ("100::/64", Refusal.SPECIAL_PURPOSE),
        ("2001:2::/48", Refusal.BENCHMARKING),
        ("2001:db8::/32", Refusal.DOCUMENTATION),
        ("3fff::/20", Refusal.DOCUMENTATION),
        ("2001::/23", Refusal.SPECIAL_PURPOSE),  # Teredo, ORCHID, other IETF assignments
        ("2002::/16", Refusal.SPECIAL_PURPOSE),  # 6to4 relays (deprecated, RFC 7526)
        ("fc00::/7", Refusal.PRIVATE),
        ("fe80::/10", Refusal.LINK_LOCAL),
        ("fec0::/10", Refusal.SITE_LOCAL),
        ("ff00::/8", Refusal.MULTICAST),
    )
)

_GLOBAL_UNICAST: Final = IPv6Network("2000::/3")
_NAT64: Final = IPv6Network("64:ff9b::/96")
_COMPATIBLE: Final = IPv6Network("::/96")
_TRANSLATED: Final = IPv6Network("::ffff:0:0:0/96")


def effective(address: Address) -> Address:
    """The address a socket really reaches: an IPv4-mapped IPv6 address is its IPv4 address."""
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def embedded_ipv4(address: IPv6Address) -> Iterator[IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: where a packet to it would end up."""
    low32 = IPv4Address(int(address) & 0xFFFF_FFFF)
    if address.ipv4_mapped is not None:
        yield address.ipv4_mapped
    if address in _NAT64 or address in _TRANSLATED:
        yield low32
    if address in _COMPATIBLE and int(address) > 1:  # :: and ::1 are not IPv4-compatible
        yield low32
    if address.sixtofour is not None:
        yield address.sixtofour
    if address.teredo is not None:
        yield from address.teredo  # (server, client)


def classify(address: Address) -> tuple[Refusal, str] | None:
    """Why the crawler must not connect to ``address`` (reason, detail), or ``None``."""
    address = effective(address)
    if address in METADATA_ADDRESSES:
        return Refusal.METADATA, "a cloud metadata service"
    if isinstance(address, IPv4Address):
        return _classify_v4(address)
    for inner in embedded_ipv4(address):
        refused = classify(inner)
        if refused is not None:
            return refused[0], f"embeds {inner}"
    for network, reason in _V6:
        if address in network:
            return reason, f"in {network}"
    if address not in _GLOBAL_UNICAST and address not in _NAT64:
        return Refusal.RESERVED, "outside 2000::/3"
    if not address.is_global:
        return Refusal.NOT_GLOBAL, "not globally reachable"
    return None


def _classify_v4(address: IPv4Address) -> tuple[Refusal, str] | None:
    for network, reason in _V4:
        if address in network:
            return reason, f"in {network}"
    if not address.is_global:
        return Refusal.NOT_GLOBAL, "not globally reachable"
    return None


# Ports a browser refuses to fetch from (the Fetch standard's "bad ports"): mail, shell, DNS,
# IRC... A crawler that loads pages the way a browser does has no reason to speak HTTP to them.
BAD_PORTS: Final = frozenset(
    {1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95}
    | {101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161}
    | {179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563}
    | {587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060}
    | {5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080}
)
