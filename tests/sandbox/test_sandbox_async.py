"""The sandbox inside a running event loop, reached by an aiohttp client through the hook."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from sentinelle.sandbox import (
    Resolver,
    Sandbox,
    SandboxNotRunning,
    SandboxStartError,
    World,
    build_world,
)


class HookResolver(AbstractResolver):
    """aiohttp's resolver interface over a sentinelle Resolver."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await self._resolver.resolve_async(host)
        return [
            ResolveResult(
                hostname=host,
                host=str(address),
                port=port,
                family=socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        return None


def test_async_with_serves_concurrent_clients(tmp_path: Path) -> None:
    world = build_world(31, images=40)

    async def scenario() -> Sandbox:
        async with Sandbox(world, log_folder=tmp_path) as sandbox:
            connector = aiohttp.TCPConnector(resolver=HookResolver(sandbox.resolver))
            async with aiohttp.ClientSession(connector=connector) as session:

                async def get(url: str) -> tuple[int, bytes]:
                    async with session.get(url, allow_redirects=False) as answer:
                        return answer.status, await answer.read()

                pages = await asyncio.gather(*(get(url) for url in sandbox.start_urls))
                assert {status for status, _ in pages} == {200}
                served = [sandbox.url(s.location) for s in world.served]
                images = await asyncio.gather(*(get(url) for url in served))
                for served_item, (status, body) in zip(world.served, images, strict=True):
                    assert status == 200
                    assert body == sandbox.images.bytes_of(served_item.media)
            return sandbox

    sandbox = asyncio.run(scenario())
    assert not sandbox.running
    with pytest.raises(SandboxNotRunning):
        _ = sandbox.port


def test_a_port_in_use_is_refused(world: World, sandbox: Sandbox, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with Sandbox(world, port=sandbox.port, log_folder=tmp_path):
            pass

    with pytest.raises(SandboxStartError):
        asyncio.run(scenario())
