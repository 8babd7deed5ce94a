"""The only exceptions to the egress guard: ``SENTINELLE_EGRESS_ALLOW``, CIDR:PORT entries.

The setting comes from the environment (never from the database). It is parsed strictly, and
a bad entry stops the crawler with a :class:`~sentinelle.config.ConfigurationError` naming it:

* entries are separated by commas; spaces around an entry are ignored, empty entries are not;
* an entry is ``NETWORK/PREFIX:PORT``, e.g. ``127.1.0.0/16:8080`` or ``::1/128:8443`` (an
  IPv6 network may be written in brackets: ``[::1/128]:8443``); the prefix length is required,
  and the network may not have host bits set (``127.0.0.1/8`` is refused: write ``127.0.0.0/8``);
* the port is required, one number from 1 to 65535: no ``*``, no ranges;
* an IPv4-mapped IPv6 network is refused: write the IPv4 network (connections to mapped
  addresses are checked as the IPv4 address they reach).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_network
from typing import Final

from sentinelle.config import ConfigurationError

SETTING: Final = "SENTINELLE_EGRESS_ALLOW"


@dataclass(frozen=True)
class AllowEntry:
    """One exception: connections to ``network`` on ``port`` are allowed."""

    network: IPv4Network | IPv6Network
    port: int

    def allows(self, address: IPv4Address | IPv6Address, port: int) -> bool:
        return (
            port == self.port
            and address.version == self.network.version
            and (address in self.network)
        )

    def __str__(self) -> str:
        if self.network.version == 6:
            return f"[{self.network}]:{self.port}"
        return f"{self.network}:{self.port}"


def parse_allowlist(text: str) -> tuple[AllowEntry, ...]:
    """The entries of a ``SENTINELLE_EGRESS_ALLOW`` value (empty text: none)."""
    if not text.strip():
        return ()
    return tuple(parse_entry(entry.strip()) for entry in text.split(","))


def parse_entry(entry: str) -> AllowEntry:
    """One ``NETWORK/PREFIX:PORT`` entry, or a :class:`ConfigurationError` naming it."""
    if not entry:
        raise _bad(entry, "an entry is empty (two commas in a row, or a trailing comma?)")
    network_text, colon, port_text = entry.rpartition(":")
    if not colon or not network_text or "/" in port_text:
        raise _bad(entry, "a port is required: write NETWORK/PREFIX:PORT")
    if network_text.startswith("[") and network_text.endswith("]"):
        network_text = network_text[1:-1]
    if "/" not in network_text:
        raise _bad(entry, "the network needs a prefix length, e.g. 127.0.0.1/32")
    try:
        network = ip_network(network_text, strict=True)
    except ValueError as error:
        raise _bad(entry, f"not a network ({error})") from None
    if isinstance(network, IPv6Network) and network.network_address.ipv4_mapped is not None:
        raise _bad(entry, "write an IPv4-mapped network as the IPv4 network it maps")
    return AllowEntry(network, _port(entry, port_text))


def _port(entry: str, text: str) -> int:
    if text == "*":
        raise _bad(entry, "the port must be one number; * (any port) is not allowed")
    if not (text.isascii() and text.isdigit()):
        raise _bad(entry, f"the port {text!r} is not a number from 1 to 65535")
    port = int(text)
    if not 1 <= port <= 65535:
        raise _bad(entry, f"the port {port} is not from 1 to 65535")
    return port


def _bad(entry: str, why: str) -> ConfigurationError:
    return ConfigurationError(f"{SETTING}: bad entry {entry!r}: {why}")
