"""The RDAP servers through real HTTP: the bootstrap's redirects, RFC 9083 answers, both
styles of abuse contact and the provider with none, parent networks, domains, errors."""

from __future__ import annotations

from ipaddress import IPv4Network

import pytest
from sandbox_rdap_checks import (
    check_conformance,
    check_entity,
    check_error,
    check_top,
    languages,
    link,
    lookup,
    rdap_json,
    vcard,
    with_role,
)
from sandbox_support import fetch

from sentinelle.sandbox import Provider, Sandbox, SandboxThread, World, build_world

REGISTRY_ORDER = ("north", "south", "east")


def expected_registry(world: World, provider: Provider) -> str:
    """The documented rule: the k-th /23 block (in provider order) is held by north, south,
    east in turn."""
    blocks: list[IPv4Network] = []
    for other in world.providers:
        block = other.network.supernet(new_prefix=23)
        if block not in blocks:
            blocks.append(block)
    return REGISTRY_ORDER[blocks.index(provider.network.supernet(new_prefix=23)) % 3]


def up_providers(world: World) -> list[Provider]:
    return [p for p in world.providers if expected_registry(world, p) != "east"]


def test_the_bootstrap_redirects_to_the_registry_holding_each_address(
    sandbox: Sandbox, world: World
) -> None:
    assert [expected_registry(world, p) for p in world.providers] == [
        "north",
        "south",
        "south",
        "east",
    ]
    for provider in world.providers:
        registry = sandbox.registry_url(f"rdap.{expected_registry(world, provider)}.test")
        hosted = [s.ip for s in world.sites if s.provider == provider.slug]
        for query in [*map(str, hosted), str(provider.control_ip), str(provider.network)]:
            answer = fetch(sandbox.resolver, f"{sandbox.rdap_url}ip/{query}")
            assert answer.status == 302
            assert answer.header("location") == f"{registry}ip/{query}"
    for outside in ("127.0.0.1", "10.1.2.3", "127.90.0.1"):
        check_error(fetch(sandbox.resolver, f"{sandbox.rdap_url}ip/{outside}"), 404)


def test_provider_networks_answer_rfc_9083_json_with_their_parent(
    sandbox: Sandbox, world: World
) -> None:
    parents = set()
    for provider in up_providers(world):
        site = next(s for s in world.sites if s.provider == provider.slug)
        hops, answer = lookup(sandbox.resolver, f"{sandbox.rdap_url}ip/{site.ip}")
        assert [hop.status for hop in hops] == [302]
        assert answer.status == 200
        assert answer.header("access-control-allow-origin") == "*"
        network = rdap_json(answer)
        check_top(network, "ip network")
        assert network["startAddress"] == str(provider.network.network_address)
        assert network["endAddress"] == str(provider.network.broadcast_address)
        assert network["country"] == provider.country
        assert network["cidr0_cidrs"] == [{"v4prefix": network["startAddress"], "length": 24}]
        registrant = with_role(network["entities"], "registrant")
        assert vcard(registrant[0], "fn") == [provider.name]
        up = link(network, "up")
        assert up is not None
        _, parent_answer = lookup(sandbox.resolver, up)
        parent = rdap_json(parent_answer)
        check_top(parent, "ip network")
        assert parent["handle"] == network["parentHandle"]
        block = provider.network.supernet(new_prefix=23)
        assert (parent["startAddress"], parent["endAddress"]) == (
            str(block.network_address),
            str(block.broadcast_address),
        )
        assert "parentHandle" not in parent
        (upstream_abuse,) = with_role(parent["entities"], "abuse")
        (email,) = vcard(upstream_abuse, "email")
        assert email.startswith("abuse@") and email != provider.abuse_email
        parents.add((parent["handle"], email))
    assert len(parents) == 2  # providers 1 and 2 share an upstream; 0 has its own


def _provider_network(sandbox: Sandbox, provider: Provider) -> dict[str, object]:
    _, answer = lookup(sandbox.resolver, f"{sandbox.rdap_url}ip/{provider.control_ip}")
    return rdap_json(answer)


def test_abuse_contacts_embedded_linked_and_missing(sandbox: Sandbox, world: World) -> None:
    styles = {}
    for provider in up_providers(world):
        network = _provider_network(sandbox, provider)
        entities = network["entities"]
        assert isinstance(entities, list)
        abuse = with_role(entities, "abuse")
        (technical,) = with_role(entities, "technical")
        assert vcard(technical, "email") == [f"noc@{provider.slug}.test"]
        expected_language = "fr" if provider.index % 2 else "en"
        assert languages(technical)[0] == expected_language == provider.language
        if not abuse:
            styles[provider.index] = "none"
            remarks = network["remarks"]
            assert isinstance(remarks, list) and "abuse" in str(remarks[0]).lower()
            continue
        (entity,) = abuse
        if "vcardArray" in entity:
            styles[provider.index] = "embedded"
        else:
            styles[provider.index] = "linked"
            self_link = link(entity, "self")
            assert self_link is not None and self_link.endswith(f"/entity/{entity['handle']}")
            followed = fetch(sandbox.resolver, self_link)
            assert followed.status == 200
            entity = rdap_json(followed)
            check_conformance(entity)
            check_entity(entity)
            assert entity["roles"] == ["abuse"]
        assert vcard(entity, "email") == [provider.abuse_email]
        assert languages(entity)[0] == expected_language
        assert str(provider.abuse_style) == styles[provider.index]
    assert styles == {0: "embedded", 1: "linked", 2: "none"}


def test_the_most_specific_network_answers(sandbox: Sandbox, world: World) -> None:
    north = sandbox.registry_url("north")
    first = world.providers[0].network.supernet(new_prefix=23)
    spare = first.network_address + 5  # in the upstream block, in no provider's /24
    assert world.provider_of(spare) is None
    for query in (str(spare), str(first)):
        answer = fetch(sandbox.resolver, f"{north}ip/{query}")
        assert rdap_json(answer)["startAddress"] == str(first.network_address)
    check_error(fetch(sandbox.resolver, f"{north}ip/127.64.0.0/16"), 404)
    second = world.providers[1]
    check_error(fetch(sandbox.resolver, f"{north}ip/{second.control_ip}"), 404)


def test_every_site_domain_has_its_registrar_and_abuse_contact(
    sandbox: Sandbox, world: World
) -> None:
    hosts = [site.host for site in world.sites] + [f.site.host for f in sandbox.cdn.fronted]
    registrars = set()
    for host in hosts:
        name = host.removeprefix("www.")
        hops, answer = lookup(sandbox.resolver, f"{sandbox.rdap_url}domain/{name.upper()}")
        assert hops[0].header("location") == f"{sandbox.registry_url('north')}domain/{name}"
        domain = rdap_json(answer)
        check_top(domain, "domain")
        assert domain["ldhName"] == name
        (registrar,) = with_role(domain["entities"], "registrar")
        assert registrar["publicIds"][0]["type"] == "IANA Registrar ID"
        (abuse,) = with_role(registrar["entities"], "abuse")
        (email,) = vcard(abuse, "email")
        registrars.add((vcard(registrar, "fn")[0], email))
        _, host_answer = lookup(sandbox.resolver, f"{sandbox.rdap_url}domain/{host}")
        check_error(host_answer, 404)  # a host name is not a registered domain
    assert len(registrars) == 2
    check_error(fetch(sandbox.resolver, f"{sandbox.rdap_url}domain/example.org"), 404)


def test_entities_and_autnums(sandbox: Sandbox, world: World) -> None:
    provider = world.providers[0]
    handle = f"ORG-{provider.slug.upper()}-NORTH"
    hops, answer = lookup(sandbox.resolver, f"{sandbox.rdap_url}entity/{handle}")
    assert hops[0].header("location") == f"{sandbox.registry_url('north')}entity/{handle}"
    entity = rdap_json(answer)
    check_conformance(entity)
    check_entity(entity)
    assert entity["roles"] == ["registrant"] and vcard(entity, "fn") == [provider.name]
    check_error(fetch(sandbox.resolver, f"{sandbox.registry_url('south')}entity/{handle}"), 404)
    check_error(fetch(sandbox.resolver, f"{sandbox.rdap_url}entity/ORG-NOBODY-WEST"), 404)
    none_style = world.providers[2]
    missing = f"{sandbox.registry_url('south')}entity/ABUSE-{none_style.slug.upper()}-SOUTH"
    check_error(fetch(sandbox.resolver, missing), 404)
    _, autnum_answer = lookup(sandbox.resolver, f"{sandbox.rdap_url}autnum/{provider.asn}")
    autnum = rdap_json(autnum_answer)
    check_top(autnum, "autnum")
    assert autnum["startAutnum"] == provider.asn == autnum["endAutnum"]
    check_error(fetch(sandbox.resolver, f"{sandbox.rdap_url}autnum/1"), 404)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("ip/300.1.2.3", 400),
        ("ip/", 400),
        ("ip/127.64.1.0/33", 400),
        ("autnum/AS1", 400),
        ("domain/bad_name.example", 400),
        ("nameserver/ns1.example", 400),
        ("ip/2001:db8::1", 404),
    ],
)
def test_malformed_and_unknown_queries_are_error_objects(
    sandbox: Sandbox, path: str, status: int
) -> None:
    for base in (sandbox.rdap_url, sandbox.registry_url("north")):
        check_error(fetch(sandbox.resolver, base + path), status)


def test_other_methods_are_refused_and_help_answers(sandbox: Sandbox) -> None:
    north = sandbox.registry_url("north")
    refused = fetch(sandbox.resolver, f"{north}ip/127.64.1.1", method="POST", body=b"{}")
    check_error(refused, 405)
    assert refused.header("allow") == "GET, HEAD"
    for base in (sandbox.rdap_url, north):
        helped = rdap_json(fetch(sandbox.resolver, f"{base}help"))
        assert "rdap_level_0" in helped["rdapConformance"] and helped["notices"]


def _answers(world: World, port: int | None) -> tuple[int, list[bytes]]:
    with SandboxThread(world, port=port) as running:
        base = running.registry_url("north")
        paths = ["ip/127.64.1.10", "ip/127.64.0.0/23", "domain/" + world.sites[0].host[4:]]
        paths.append(f"entity/ORG-{world.providers[0].slug.upper()}-NORTH")
        return running.port, [fetch(running.resolver, base + p).body for p in paths]


def test_same_seed_and_port_same_rdap_bytes() -> None:
    port, first = _answers(build_world(77, images=20), None)
    assert _answers(build_world(77, images=20), port)[1] == first
    assert _answers(build_world(78, images=20), port)[1] != first
