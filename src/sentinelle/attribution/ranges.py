"""Networks and addresses as range keys: 32 hex digits, IPv4 as its IPv4-mapped IPv6 address.

Fixed-width hex sorts like the numbers, so "which networks hold this address" is
``first <= key <= last`` on an ordinary text index, on SQLite and PostgreSQL alike. No Django.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_network
from typing import Final

from sentinelle.attribution.exceptions import InvalidDirectoryEntry

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network
_MAPPED: Final = 0xFFFF << 32


def address_key(address: Address) -> str:
    value = int(address) | _MAPPED if address.version == 4 else int(address)
    return f"{value:032x}"


def network_keys(network: Network) -> tuple[str, str]:
    return address_key(network.network_address), address_key(network.broadcast_address)


def parse_network(text: str) -> Network:
    """A network written ``ADDRESS/PREFIX`` (host bits clear); a lone address is a /32 or /128."""
    try:
        network = ip_network(text.strip(), strict=True)
    except ValueError as error:
        raise InvalidDirectoryEntry(f"not a network: {text!r} ({error})") from None
    if isinstance(network, IPv6Network) and network.network_address.ipv4_mapped is not None:
        raise InvalidDirectoryEntry(f"write the IPv4 network, not {text!r}")
    return network
