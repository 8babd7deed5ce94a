"""RFC 9083 shape checks for the sandbox's RDAP answers, and a small RDAP client that
follows the bootstrap's redirects through the sandbox resolver."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from sandbox_support import Fetched, fetch

from sentinelle.sandbox import Resolver

RDAP_TYPE = "application/rdap+json"
JSON = dict[str, Any]


def rdap_json(answer: Fetched) -> JSON:
    assert answer.header("content-type") == RDAP_TYPE, answer.headers
    payload = json.loads(answer.body)
    assert isinstance(payload, dict)
    return payload


def lookup(resolver: Resolver, url: str) -> tuple[list[Fetched], Fetched]:
    """GET ``url``, following redirects (the bootstrap's 302): (redirects, last answer)."""
    hops: list[Fetched] = []
    answer = fetch(resolver, url)
    while answer.status in (301, 302, 303, 307, 308):
        hops.append(answer)
        assert len(hops) < 5
        location = answer.header("location")
        assert location
        answer = fetch(resolver, urljoin(answer.url, location))
    return hops, answer


def check_links(links: Any) -> None:
    assert isinstance(links, list) and links
    for link in links:
        assert isinstance(link["value"], str) and isinstance(link["rel"], str)
        assert link["href"].startswith("http://")
        assert link.get("type", RDAP_TYPE) == RDAP_TYPE


def check_events(events: Any) -> None:
    assert isinstance(events, list) and events
    for event in events:
        assert isinstance(event["eventAction"], str)
        datetime.fromisoformat(event["eventDate"].replace("Z", "+00:00"))


def check_vcard(card: Any) -> None:
    assert card[0] == "vcard"
    properties = card[1]
    assert properties[0] == ["version", {}, "text", "4.0"]
    for prop in properties:
        assert len(prop) == 4, prop
        name, params, kind, _ = prop
        assert isinstance(name, str) and isinstance(params, dict) and isinstance(kind, str)
    assert any(prop[0] == "fn" for prop in properties)


def check_entity(entity: JSON) -> None:
    assert entity["objectClassName"] == "entity"
    assert isinstance(entity["handle"], str)
    assert isinstance(entity["roles"], list) and entity["roles"]
    check_links(entity["links"])
    if "vcardArray" in entity:
        check_vcard(entity["vcardArray"])
    for inner in entity.get("entities", []):
        check_entity(inner)


def check_conformance(payload: JSON) -> None:
    """What every whole answer carries: conformance and notices."""
    assert "rdap_level_0" in payload["rdapConformance"]
    for notice in payload["notices"]:
        assert isinstance(notice["title"], str)
        assert all(isinstance(line, str) for line in notice["description"])


def check_top(payload: JSON, class_name: str) -> None:
    """A whole answer: conformance, notices, the object class and its members."""
    check_conformance(payload)
    assert payload["objectClassName"] == class_name
    check_links(payload["links"])
    check_events(payload["events"])
    for entity in payload.get("entities", []):
        check_entity(entity)
    if class_name == "ip network":
        for member in ("handle", "startAddress", "endAddress", "name", "type", "country"):
            assert isinstance(payload[member], str), member
        assert payload["ipVersion"] == "v4"
    if class_name == "domain":
        assert isinstance(payload["ldhName"], str)


def check_error(answer: Fetched, status: int) -> JSON:
    assert answer.status == status
    payload = rdap_json(answer)
    assert payload["errorCode"] == status
    assert isinstance(payload["title"], str)
    assert payload["description"] and all(isinstance(d, str) for d in payload["description"])
    assert "rdap_level_0" in payload["rdapConformance"]
    return payload


def vcard(entity: JSON, name: str) -> list[Any]:
    """The values of one jCard property, in order (empty when it has none)."""
    return [prop[3] for prop in entity.get("vcardArray", ["vcard", []])[1] if prop[0] == name]


def languages(entity: JSON) -> list[str]:
    """``lang`` values of a jCard, most preferred first."""
    found = [p for p in entity["vcardArray"][1] if p[0] == "lang"]
    return [p[3] for p in sorted(found, key=lambda p: int(p[1].get("pref", "100")))]


def with_role(entities: list[JSON], role: str) -> list[JSON]:
    return [entity for entity in entities if role in entity["roles"]]


def link(payload: JSON, rel: str) -> str | None:
    return next((item["href"] for item in payload["links"] if item["rel"] == rel), None)
