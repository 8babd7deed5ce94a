"""The registry that is down: 503 with Retry-After (or a dropped connection) until it is
brought up, from Python or over HTTP; every request is recorded."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_rdap_checks import check_error, rdap_json, vcard, with_role
from sandbox_support import fetch

from sentinelle.sandbox import (
    RdapState,
    Sandbox,
    SandboxThread,
    UnknownRegistry,
    World,
    build_world,
)

EAST = "rdap.east.test"


@pytest.fixture
def own(world: World, tmp_path: Path) -> Iterator[Sandbox]:
    """A sandbox of the session's world whose registries this test may switch."""
    with SandboxThread(world, log_folder=tmp_path) as running:
        yield running


def _east_provider(world: World) -> str:
    """An address of provider 3, the fourth provider: its block is the third, held by east."""
    return str(world.providers[3].control_ip)


def test_east_starts_down_answering_503_with_retry_after(own: Sandbox, world: World) -> None:
    address = _east_provider(world)
    assert own.rdap_state(EAST) is RdapState.UNAVAILABLE
    assert own.rdap_state("north") is RdapState.UP
    redirect = fetch(own.resolver, f"{own.rdap_url}ip/{address}")  # the bootstrap stays up
    assert redirect.header("location") == f"{own.registry_url(EAST)}ip/{address}"
    down = fetch(own.resolver, f"{own.registry_url(EAST)}ip/{address}")
    check_error(down, 503)
    assert down.header("retry-after") == "30"
    up_elsewhere = fetch(own.resolver, f"{own.registry_url('north')}ip/127.64.1.10")
    assert up_elsewhere.status == 200
    assert [(r.registry, r.path, r.status) for r in own.rdap_requests] == [
        ("rdap.registry.test", f"/ip/{address}", 302),
        (EAST, f"/ip/{address}", 503),
        ("rdap.north.test", "/ip/127.64.1.10", 200),
    ]


def test_brought_up_it_answers_then_dropped_it_closes_connections(
    own: Sandbox, world: World
) -> None:
    address = _east_provider(world)
    url = f"{own.registry_url(EAST)}ip/{address}"
    own.set_rdap_up(EAST, True)
    network = rdap_json(fetch(own.resolver, url))
    provider = world.providers[3]
    assert network["startAddress"] == str(provider.network.network_address)
    (abuse,) = with_role(network["entities"], "abuse")
    assert "vcardArray" not in abuse  # provider 3 links its abuse contact
    followed = fetch(own.resolver, abuse["links"][0]["href"])
    assert vcard(rdap_json(followed), "email") == [provider.abuse_email]
    own.set_rdap_state("east", RdapState.UNREACHABLE)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        fetch(own.resolver, url, timeout=5)
    assert own.rdap_requests[-1].status == 0
    own.set_rdap_up(EAST, False)
    check_error(fetch(own.resolver, url), 503)
    own.set_rdap_up(EAST, True)
    assert fetch(own.resolver, url).status == 200


def test_states_can_be_switched_over_http(own: Sandbox, world: World) -> None:
    control = f"{own.rdap_url}_sandbox/state"
    listed = json.loads(fetch(own.resolver, control).body)
    assert listed == {
        "registries": {
            "rdap.north.test": "up",
            "rdap.south.test": "up",
            EAST: "unavailable",
        }
    }
    body = json.dumps({"registry": EAST, "state": "up"}).encode()
    switched = fetch(own.resolver, control, method="POST", body=body)
    assert switched.status == 200
    assert own.rdap_state(EAST) is RdapState.UP
    bad_bodies = (
        b"not json",
        b'{"registry": "rdap.west.test", "state": "up"}',
        b'{"registry": "rdap.east.test", "state": "sideways"}',
        b"[]",
    )
    for bad in bad_bodies:
        refused = fetch(own.resolver, control, method="POST", body=bad)
        assert refused.status == 400
        assert own.rdap_state(EAST) is RdapState.UP  # nothing changed
    assert fetch(own.resolver, control, method="DELETE").status == 405


def test_unknown_registries_are_refused(own: Sandbox) -> None:
    with pytest.raises(UnknownRegistry):
        own.set_rdap_up("rdap.west.test", True)
    with pytest.raises(UnknownRegistry):
        own.rdap_state("rdap.registry.test")  # the bootstrap never goes down


def test_a_world_of_two_providers_has_none_behind_the_down_registry() -> None:
    world = build_world(5, images=20, providers=2)
    registries = set()
    for provider in world.providers:
        network = world.internet.network_of(provider.control_ip)
        assert network is not None and network.holder == provider.slug
        registries.add(network.registry)
    assert registries == {"north", "south"}
