"""The resolver hook: host name -> addresses, for the crawler, egress guard and attribution.

Every component that turns a host into addresses takes a :class:`Resolver`, so
the same code runs on the real web (:class:`SystemResolver`) and on the sandbox
(:class:`SandboxResolver`), which never falls through to real DNS. An IP literal
resolves to itself in both.
"""

from __future__ import annotations

import asyncio
import os
import socket
from abc import ABC, abstractmethod
from collections.abc import Mapping
from ipaddress import IPv4Address, IPv6Address, ip_address
from pathlib import Path

from sentinelle.sandbox.exceptions import UnknownHost
from sentinelle.sandbox.model import World

Address = IPv4Address | IPv6Address


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

    @abstractmethod
    def resolve(self, host: str) -> list[Address]:
        """Addresses of ``host`` in preference order; never empty."""

    async def resolve_async(self, host: str) -> list[Address]:
        """The same without blocking the event loop."""
        return await asyncio.to_thread(self.resolve, host)


class SandboxResolver(Resolver):
    """Answers for the sandbox's hosts only, from a fixed table."""

    def __init__(self, hosts: Mapping[str, Address]) -> None:
        self._hosts = {normalize_host(name): address for name, address in hosts.items()}

    @classmethod
    def from_world(cls, world: World) -> SandboxResolver:
        return cls(dict(world.hosts()))

    @classmethod
    def from_hosts_file(cls, path: str | os.PathLike[str]) -> SandboxResolver:
        """Read ``address name...`` lines (the /etc/hosts format the CLI writes)."""
        table: dict[str, Address] = {}
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            fields = line.partition("#")[0].split()
            if len(fields) >= 2:
                address = ip_address(fields[0])
                table.update(dict.fromkeys(fields[1:], address))
        return cls(table)

    def hosts(self) -> dict[str, Address]:
        return dict(self._hosts)

    def resolve(self, host: str) -> list[Address]:
        name = normalize_host(host)
        address = literal(name)
        if address is not None:
            return [address]
        try:
            return [self._hosts[name]]
        except KeyError:
            raise UnknownHost(host, "not a sandbox host") from None

    async def resolve_async(self, host: str) -> list[Address]:
        return self.resolve(host)


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


def hosts_file_text(world: World) -> str:
    """The world's hosts in /etc/hosts format (for curl --resolve, other processes...)."""
    lines = [f"# sentinelle sandbox, seed {world.seed}"]
    lines += [f"{address} {name}" for name, address in sorted(world.hosts().items())]
    return "\n".join(lines) + "\n"
