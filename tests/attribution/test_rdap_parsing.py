"""RDAP parsing without a network: jCard, objects, error objects, and which address is the abuse desk."""

from __future__ import annotations

from datetime import UTC, datetime
from ipaddress import ip_address
from typing import Any

import pytest

from sentinelle.attribution.cdn import known_cdn, shared_cdn
from sentinelle.attribution.chain import language_of
from sentinelle.attribution.exceptions import InvalidDirectoryEntry, RdapMalformed, RdapNotFound
from sentinelle.attribution.jcard import parse_vcard
from sentinelle.attribution.ranges import address_key, network_keys
from sentinelle.attribution.ranges import parse_network as parse_cidr
from sentinelle.attribution.rdap import retry_after
from sentinelle.attribution.rdap_contacts import abuse_contact, fallback_contact
from sentinelle.attribution.rdap_objects import (
    Entity,
    error_text,
    parse_domain,
    parse_entity,
    parse_network,
)


def card(*properties: list[Any]) -> list[Any]:
    return ["vcard", [["version", {}, "text", "4.0"], *properties]]


def entity(handle: str, roles: list[str], *properties: list[Any], **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"objectClassName": "entity", "handle": handle, "roles": roles, **extra}
    if properties:
        found["vcardArray"] = card(*properties)
    return found


def network(entities: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"objectClassName": "ip network", "handle": "NET-192-0-2-0-24", "startAddress": "192.0.2.0",
            "endAddress": "192.0.2.255", "ipVersion": "v4", "name": "EXAMPLE-NET", "country": "FR",
            "parentHandle": "NET-192-0-0-0-16", "entities": entities,
            "links": [{"rel": "self", "href": "https://rdap.example/ip/192.0.2.0/24"},
                      {"rel": "up", "href": "https://rdap.example/ip/192.0.0.0/16"}], **extra}


def test_a_jcard_gives_name_kind_org_and_addresses_in_pref_order() -> None:
    parsed = parse_vcard(card(
        ["fn", {}, "text", "Example Abuse Desk"],
        ["kind", {}, "text", "Group"],
        ["org", {}, "text", ["Example SAS", "Abuse"]],
        ["email", {"pref": "2"}, "text", "second@example.test"],
        ["email", {"pref": "1"}, "text", "first@example.test"],
        ["email", {"type": "work"}, "text", "unranked@example.test"],
        ["lang", {"pref": "2"}, "language-tag", "en"],
        ["lang", {"pref": ["1"]}, "language-tag", "fr-CA"],
        ["tel", {"type": ["voice"]}, "uri", "tel:+33-1-00-00-00-00"],
        ["adr", {"label": "1 rue X"}, "text", ["", "", "", "", "", "", ""]],
    ))
    assert (parsed.name, parsed.kind, parsed.org) == ("Example Abuse Desk", "group", "Example SAS; Abuse")
    assert parsed.emails == ("first@example.test", "second@example.test", "unranked@example.test")
    assert (parsed.email, parsed.language, language_of(parsed.language)) == ("first@example.test", "fr-CA", "fr")
    assert parsed.phones == ("+33-1-00-00-00-00",)


@pytest.mark.parametrize(
    "value",
    [None, ["vcard"], ["vcard", "x"], ["hcard", []], ["vcard", [["fn", {}, "text"]]], ["vcard", [[1, {}, "t", "v"]]]],
)
def test_what_is_not_a_jcard_is_malformed(value: Any) -> None:
    with pytest.raises(RdapMalformed):
        parse_vcard(value, "https://rdap.example/entity/X")


def test_an_ip_network_with_nested_entities_and_links() -> None:
    parsed = parse_network(network([
        entity("ORG-EX", ["registrant"], ["fn", {}, "text", "Example SAS"],
               entities=[entity("ABUSE-EX", ["abuse"], ["email", {}, "text", "abuse@example.test"])]),
    ]))
    assert (parsed.handle, parsed.country, parsed.parent_handle) == ("NET-192-0-2-0-24", "FR", "NET-192-0-0-0-16")
    assert parsed.cidrs == ["192.0.2.0/24"]
    assert (parsed.self_url, parsed.up_url) == ("https://rdap.example/ip/192.0.2.0/24", "https://rdap.example/ip/192.0.0.0/16")
    assert [e.handle for e in parsed.all_entities()] == ["ORG-EX", "ABUSE-EX"]


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"objectClassName": "domain"},
        {"objectClassName": "ip network", "startAddress": "192.0.2.0"},
        {"objectClassName": "ip network", "startAddress": "192.0.2.9", "endAddress": "192.0.2.0"},
        {"objectClassName": "ip network", "startAddress": "192.0.2.0", "endAddress": "2001:db8::"},
    ],
)
def test_an_answer_that_is_no_ip_network_is_malformed(body: Any) -> None:
    with pytest.raises(RdapMalformed):
        parse_network(body, "https://rdap.example/ip/192.0.2.1")


def test_a_domain_with_its_registrar_and_the_registrars_abuse_entity() -> None:
    parsed = parse_domain({"objectClassName": "domain", "ldhName": "Glade-1.EXAMPLE", "entities": [
        entity("292", ["registrar"], ["fn", {}, "text", "Example Registrar"], entities=[
            entity("", ["abuse"], ["email", {}, "text", "abuse@registrar.test"])])]})
    assert parsed.name == "glade-1.example"
    registrar = parsed.all_entities()[0]
    found = abuse_contact(registrar.walk()[1:], "https://rdap.example/domain/glade-1.example", _no_follow)
    assert found is not None and found.email == "abuse@registrar.test"


def test_error_objects_read_as_one_line() -> None:
    assert error_text({"errorCode": 404, "title": "Not Found", "description": ["no such", "network"]}) == (
        "Not Found no such network")
    assert error_text("nope") == ""


def _no_follow(url: str) -> tuple[Entity, str]:
    raise AssertionError(f"nothing should be followed here: {url}")


def _links(**entities: dict[str, Any]) -> Any:
    followed: list[str] = []

    def follow(url: str) -> tuple[Entity, str]:
        followed.append(url)
        if url not in entities:
            raise RdapNotFound("not found", url)
        return parse_entity(entities[url]), url

    follow.followed = followed  # type: ignore[attr-defined]
    return follow


def test_an_embedded_abuse_entity_is_used_without_following_anything() -> None:
    parsed = parse_network(network([
        entity("ORG-EX", ["registrant"], ["email", {}, "text", "contact@example.test"]),
        entity("ABUSE-EX", ["abuse"], ["fn", {}, "text", "Abuse"], ["email", {}, "text", "abuse@example.test"],
               ["lang", {}, "language-tag", "fr"]),
    ]))
    found = abuse_contact(parsed.all_entities(), "https://rdap.example/ip/192.0.2.1", _no_follow)
    assert found is not None
    assert (found.email, found.language, found.role, found.followed) == ("abuse@example.test", "fr", "abuse", False)


def test_a_linked_abuse_entity_is_followed_for_its_address() -> None:
    url = "https://rdap.example/entity/ABUSE-EX"
    follow = _links(**{url: entity("ABUSE-EX", ["abuse"], ["email", {}, "text", "linked@example.test"])})
    parsed = parse_network(network([
        entity("ABUSE-EX", ["abuse"], links=[{"rel": "self", "href": url}])]))
    found = abuse_contact(parsed.all_entities(), "https://rdap.example/ip/192.0.2.1", follow)
    assert found is not None
    assert (found.email, found.source_url, found.followed) == ("linked@example.test", url, True)
    assert follow.followed == [url]


def test_without_an_abuse_entity_the_registrant_then_the_technical_address_is_the_fallback() -> None:
    entities = parse_network(network([
        entity("NOC-EX", ["technical"], ["email", {}, "text", "noc@example.test"]),
        entity("ORG-EX", ["registrant"], ["email", {}, "text", "contact@example.test"]),
    ])).all_entities()
    assert abuse_contact(entities, "u", _no_follow) is None
    found = fallback_contact(entities, "u", _no_follow)
    assert found is not None and (found.email, found.role) == ("contact@example.test", "registrant")
    technical_only = [e for e in entities if "technical" in e.roles]
    assert fallback_contact(technical_only, "u", _no_follow).email == "noc@example.test"  # type: ignore[union-attr]


def test_an_abuse_link_that_cannot_be_followed_gives_no_contact() -> None:
    parsed = parse_network(network([
        entity("ABUSE-EX", ["abuse"], links=[{"rel": "self", "href": "https://rdap.example/entity/GONE"}])]))
    assert abuse_contact(parsed.all_entities(), "u", _links()) is None


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert retry_after("30", now) == 30.0
    assert retry_after("Thu, 01 Jan 2026 12:02:00 GMT", now) == 120.0
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None


def test_the_cdn_table_takes_only_unshared_as_numbers() -> None:
    assert known_cdn(13335).name == "Cloudflare"  # type: ignore[union-attr]
    assert known_cdn(54113).name == "Fastly"  # type: ignore[union-attr]
    assert known_cdn(16509) is None and shared_cdn(16509).name == "Amazon CloudFront"  # type: ignore[union-attr]
    assert known_cdn(64500) is None and known_cdn(None) is None


def test_range_keys_sort_like_addresses_and_networks_are_strict() -> None:
    keys = [address_key(ip_address(a)) for a in ("0.0.0.1", "9.255.255.255", "10.0.0.0", "255.255.255.255")]
    assert keys == sorted(keys) and all(len(k) == 32 for k in keys)
    assert address_key(ip_address("::ffff:10.0.0.0")) == keys[2]  # a mapped address is the IPv4 one
    assert network_keys(parse_cidr("127.64.1.0/24")) == (address_key(ip_address("127.64.1.0")),
                                                        address_key(ip_address("127.64.1.255")))
    for bad in ("127.64.1.1/24", "nonsense", "::ffff:1.2.3.0/120"):
        with pytest.raises(InvalidDirectoryEntry):
            parse_cidr(bad)
