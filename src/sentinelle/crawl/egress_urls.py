"""Where a URL points: scheme, host, port, and the IP address if the host is one.

The host is read the way a browser reads it (the WHATWG URL standard), so that a URL the
crawler found in a page cannot smuggle an address past the guard in a spelling only some
parsers understand: ``0x7f000001``, ``2130706433``, ``127.1`` and ``0177.0.0.1`` are all the
IPv4 address 127.0.0.1, and are treated as that address, never sent to a resolver. A host that
is neither an IP address nor a plain DNS name (percent-escapes, ``%`` zone ids, other
punctuation) is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from typing import Final
from urllib.parse import urlsplit

from sentinelle.crawl.egress_addresses import Address
from sentinelle.crawl.egress_exceptions import EgressBlocked, Refusal
from sentinelle.crawl.normalize import DEFAULT_PORTS

_NAME: Final = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")
_NUMBER: Final = re.compile(r"[0-9]+|0x[0-9a-f]*")
_DECIMAL: Final = re.compile(r"0|[1-9][0-9]*")
_OCTAL: Final = re.compile(r"0[0-7]+")
_HEX: Final = re.compile(r"0x([0-9a-f]*)")


@dataclass(frozen=True)
class UrlTarget:
    """A URL's destination before resolution. ``literal`` is set when the host is an address."""

    scheme: str
    host: str
    port: int
    literal: Address | None


def url_target(url: str) -> UrlTarget:
    """The destination of ``url``, or :class:`EgressBlocked` for a URL that has none."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise EgressBlocked(Refusal.INVALID_URL, url, detail=str(error)) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise EgressBlocked(Refusal.SCHEME, url, detail=f"{scheme or 'no scheme'} is not http(s)")
    if port == 0:
        raise EgressBlocked(Refusal.INVALID_URL, url, detail="port 0")
    host, literal = _host(url, parts.hostname or "")
    return UrlTarget(scheme, host, port or DEFAULT_PORTS[scheme], literal)


def _host(url: str, hostname: str) -> tuple[str, Address | None]:
    if ":" in hostname:  # only an IPv6 literal, written in brackets, has colons
        try:
            if "%" in hostname:
                raise ValueError("zone ids are refused")
            return hostname, IPv6Address(hostname)
        except ValueError:
            raise EgressBlocked(Refusal.INVALID_URL, url, detail="bad IPv6 literal") from None
    name = hostname.lower().removesuffix(".")
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            raise EgressBlocked(Refusal.INVALID_URL, url, detail="bad international name") from None
    if not _NAME.fullmatch(name):
        raise EgressBlocked(Refusal.INVALID_URL, url, detail=f"bad host {hostname!r}")
    if _NUMBER.fullmatch(name.rpartition(".")[2]):
        address = whatwg_ipv4(name)
        if address is None:
            raise EgressBlocked(Refusal.INVALID_URL, url, detail=f"bad IPv4 host {hostname!r}")
        return str(address), address
    return name, None


def whatwg_ipv4(host: str) -> IPv4Address | None:
    """The WHATWG IPv4 parser: 1 to 4 dotted numbers, each decimal, 0x-hex or 0-octal.

    ``None`` when ``host`` ends in a number but is no valid address (a browser refuses it).
    """
    parts = host.split(".")
    if len(parts) > 4:
        return None
    numbers: list[int] = []
    for part in parts:
        number = _number(part)
        if number is None:
            return None
        numbers.append(number)
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for position, number in enumerate(leading):
        value += number << (8 * (3 - position))
    return IPv4Address(value)


def _number(part: str) -> int | None:
    if hexadecimal := _HEX.fullmatch(part):
        return int(hexadecimal.group(1) or "0", 16)
    if _OCTAL.fullmatch(part):
        return int(part, 8)
    if _DECIMAL.fullmatch(part):
        return int(part, 10)
    return None
