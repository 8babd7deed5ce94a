"""The resolver hook: every sandbox host maps to its address, nothing else resolves."""

from __future__ import annotations

import asyncio
from ipaddress import IPv4Address, IPv4Network, ip_address
from pathlib import Path

import pytest
from sandbox_support import fetch

from sentinelle.exceptions import SentinelleError
from sentinelle.sandbox import (
    Resolver,
    Sandbox,
    SandboxResolver,
    SystemResolver,
    UnknownHost,
    World,
)
from sentinelle.sandbox.resolver import hosts_file_text


def test_every_site_and_desk_resolves_into_its_providers_range(world: World) -> None:
    resolver = SandboxResolver.from_world(world)
    for site in world.sites:
        (address,) = resolver.resolve(site.host)
        assert address == site.ip
        assert world.provider_of(address) == world.provider(site.provider)
    for provider in world.providers:
        assert resolver.resolve(provider.control_host) == [provider.control_ip]
        assert provider.control_ip in provider.network


def test_registries_and_the_cdns_hosts_resolve(world: World) -> None:
    resolver = SandboxResolver.from_world(world)
    internet = world.internet
    assert resolver.resolve("rdap.registry.test") == [IPv4Address("127.127.0.1")]
    for registry in internet.registries:
        (address,) = resolver.resolve(registry.host)
        assert address in IPv4Network("127.127.0.0/24")
    cdn = internet.cdn
    for host in (cdn.edge_host, cdn.abuse_host, *(f.site.host for f in cdn.fronted)):
        (address,) = resolver.resolve(host)
        assert address in cdn.network and world.provider_of(address) is None
    sandbox_range = IPv4Network("127.64.0.0/10")
    assert all(address in sandbox_range for address in resolver.hosts().values())


def test_names_are_normalised_and_literals_resolve_to_themselves(world: World) -> None:
    resolver = SandboxResolver.from_world(world)
    site = world.sites[0]
    assert resolver.resolve(site.host.upper() + ".") == [site.ip]
    assert resolver.resolve("127.64.1.10") == [IPv4Address("127.64.1.10")]
    assert resolver.resolve("[::1]") == [ip_address("::1")]


@pytest.mark.parametrize("host", ["example.com", "localhost", "www.oak-1.example.com", ""])
def test_unknown_hosts_are_refused_without_real_dns(world: World, host: str) -> None:
    resolver = SandboxResolver.from_world(world)
    with pytest.raises(UnknownHost) as refused:
        resolver.resolve(host)
    assert isinstance(refused.value, SentinelleError)
    assert refused.value.host == host
    with pytest.raises(UnknownHost):
        asyncio.run(resolver.resolve_async(host))


def test_hosts_file_round_trip(world: World, tmp_path: Path) -> None:
    path = tmp_path / "hosts"
    path.write_text(hosts_file_text(world), encoding="utf-8")
    assert (
        SandboxResolver.from_hosts_file(path).hosts() == SandboxResolver.from_world(world).hosts()
    )


def test_system_resolver_uses_the_operating_system() -> None:
    resolver: Resolver = SystemResolver()
    assert ip_address("127.0.0.1") in resolver.resolve("localhost") or ip_address(
        "::1"
    ) in resolver.resolve("localhost")
    assert resolver.resolve("127.64.1.10") == [IPv4Address("127.64.1.10")]
    assert asyncio.run(resolver.resolve_async("127.0.0.1")) == [IPv4Address("127.0.0.1")]


def test_the_sandbox_answers_on_the_resolved_addresses_only(sandbox: Sandbox, world: World) -> None:
    site = world.sites[0]
    url = f"http://{site.host}:{sandbox.port}/"
    assert fetch(sandbox.resolver, url).status == 200
    unused = world.provider(site.provider).network.network_address + 250
    elsewhere = SandboxResolver({site.host: unused})
    with pytest.raises(ConnectionRefusedError):
        fetch(elsewhere, url, timeout=2)
