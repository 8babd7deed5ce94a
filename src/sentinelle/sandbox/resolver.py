"""The sandbox's side of the resolver hook: its hosts from a fixed table, never real DNS.

The interface and the real-world resolver live in :mod:`sentinelle.resolver`; they are
re-exported here for the sandbox's callers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from ipaddress import ip_address
from pathlib import Path

from sentinelle.resolver import (
    Address,
    Resolver,
    SystemResolver,
    UnknownHost,
    literal,
    normalize_host,
)
from sentinelle.sandbox.model import World

__all__ = ["Address", "Resolver", "SandboxResolver", "SystemResolver", "hosts_file_text"]


class SandboxResolver(Resolver):
    """Answers for the sandbox's hosts only, from a fixed table."""

    blocking = False  # a table in memory: callers on an event loop need no thread

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


def hosts_file_text(world: World) -> str:
    """The world's hosts in /etc/hosts format (for curl --resolve, other processes...)."""
    lines = [f"# sentinelle sandbox, seed {world.seed}"]
    lines += [f"{address} {name}" for name, address in sorted(world.hosts().items())]
    return "\n".join(lines) + "\n"
