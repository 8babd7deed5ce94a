"""The resolver hook: host name -> addresses, for the crawler, egress guard and attribution.

Every component that turns a host into addresses takes a :class:`Resolver`, so the same
code runs on the real web (:class:`SystemResolver`) and on the sandbox web
(:class:`sentinelle.sandbox.resolver.SandboxResolver`, which never falls through to real
DNS). An IP literal resolves to itself in both.
"""

from __future__ import annotations

import asyncio
import socket
from abc import ABC, abstractmethod
from ipaddress import IPv4Address, IPv6Address, ip_address

from sentinelle.exceptions import SentinelleError

Address = IPv4Address | IPv6Address


class ResolutionError(SentinelleError):
    """A host name could not be turned into addresses."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason


class UnknownHost(ResolutionError):
    """The host has no address: not a sandbox site, or no DNS answer."""


def normalize_host(host: str) -> str:
    """Lowercase, without a trailing dot or the brackets of an IPv6 literal."""
    return host.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")


def literal(host: str) -> Address | None:
    try:
        return ip_address(host)
    except ValueError:
        return None


class Resolver(ABC):
    """Turns a host name into the addresses to connect to, or raises :class:`UnknownHost`."""

    #: Whether :meth:`resolve` may block (wait on the network): callers on an event loop
    #: then run it in a thread. A resolver that answers from memory says False.
    blocking: bool = True

    @abstractmethod
    def resolve(self, host: str) -> list[Address]:
        """Addresses of ``host`` in preference order; never empty."""

    async def resolve_async(self, host: str) -> list[Address]:
        """The same without blocking the event loop."""
        return await asyncio.to_thread(self.resolve, host)


def _addresses(
    infos: list[tuple[object, object, object, object, tuple[object, ...]]],
) -> list[Address]:
    found: list[Address] = []
    for *_, sockaddr in infos:
        address = ip_address(str(sockaddr[0]).partition("%")[0])
        if address not in found:
            found.append(address)
    return found


class SystemResolver(Resolver):
    """The operating system's resolver (``getaddrinfo``): real DNS and /etc/hosts."""

    def resolve(self, host: str) -> list[Address]:
        name = normalize_host(host)
        try:
            infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise UnknownHost(host, str(error)) from None
        return _checked(host, _addresses(list(infos)))

    async def resolve_async(self, host: str) -> list[Address]:
        name = normalize_host(host)
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(name, None, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise UnknownHost(host, str(error)) from None
        return _checked(host, _addresses(list(infos)))


def _checked(host: str, addresses: list[Address]) -> list[Address]:
    if not addresses:
        raise UnknownHost(host, "no address")
    return addresses
