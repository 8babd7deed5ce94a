"""RDAP cases the sandbox world does not hold, against a small RDAP server of the test's own on
loopback: the parent network's abuse desk as the last fallback, a redirect to a refused
address, answers that are not RDAP, an oversized answer, and RDAP turned off."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from typing import Any

import pytest

from sentinelle.attribution.chain import Role
from sentinelle.attribution.services import attribute
from sentinelle.attribution.wiring import build_attributor
from sentinelle.sandbox.resolver import SandboxResolver

pytestmark = pytest.mark.django_db

REGISTRY = "127.0.0.7"


def card(name: str, email: str | None = None) -> list[Any]:
    properties: list[Any] = [["version", {}, "text", "4.0"], ["fn", {}, "text", name]]
    if email:
        properties.append(["email", {}, "text", email])
    return ["vcard", properties]


def network(handle: str, first: str, last: str, entities: list[Any], up: str | None = None) -> dict[str, Any]:
    links = [{"rel": "self", "href": f"/ip/{first}"}] + ([{"rel": "up", "href": up}] if up else [])
    return {"objectClassName": "ip network", "handle": handle, "startAddress": first, "endAddress": last,
            "name": handle, "country": "CA", "entities": entities, "links": links}


class Registry(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__((REGISTRY, 0), Handler)
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://rdap.edges.test:{self.server_address[1]}/"

    def answer(self, path: str, body: Any, status: int = 200, **headers: str) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.routes[path] = (status, headers, raw)


class Handler(BaseHTTPRequestHandler):
    server: Registry

    def do_GET(self) -> None:
        status, headers, body = self.server.routes.get(self.path, (404, {}, b'{"errorCode":404,"title":"Not Found"}'))
        self.send_response(status)
        for name, value in {"Content-Type": "application/rdap+json", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    server = Registry()
    monkeypatch.setenv("SENTINELLE_RDAP_URL", server.base)
    monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", f"{REGISTRY}/32:{server.server_address[1]}")
    monkeypatch.delenv("SENTINELLE_ASN_DB", raising=False)
    yield server
    server.shutdown()
    server.server_close()


def attributor() -> Any:
    return build_attributor(SandboxResolver({"rdap.edges.test": ip_address(REGISTRY)}))


def test_the_parent_networks_abuse_desk_is_the_last_fallback(registry: Registry) -> None:
    registry.answer("/ip/198.51.100.10", network("NET-CHILD", "198.51.100.0", "198.51.100.255", [
        {"objectClassName": "entity", "handle": "ORG-CHILD", "roles": ["registrant"], "vcardArray": card("Child")},
    ], up="/ip/198.51.100.0/23"))  # relative: read against the answer's URL
    registry.answer("/ip/198.51.100.0/23", network("NET-PARENT", "198.51.100.0", "198.51.101.255", [
        {"objectClassName": "entity", "handle": "ABUSE-PARENT", "roles": ["abuse"],
         "vcardArray": card("Transit Abuse", "abuse@transit.test")},
    ]))
    row, chain = attribute("http://198.51.100.10/a.jpg", attributor=attributor())
    (recipient,) = chain.recipients
    assert (recipient.role, recipient.email, recipient.source) == (Role.UPSTREAM, "abuse@transit.test", "rdap-parent-abuse")
    assert set(row.reasons) == {"no-abuse-contact", "no-asn-db"}
    assert chain.rdap["parents"][0]["handle"] == "NET-PARENT"
    assert chain.rdap["parents"][0]["source"]["query"] == f"{registry.base}ip/198.51.100.0/23"
    assert "parent network NET-PARENT" in dict((str(r), d) for r, d in chain.reasons)["no-abuse-contact"]


def test_a_network_with_no_address_at_all_has_no_recipient(registry: Registry) -> None:
    registry.answer("/ip/198.51.100.11", network("NET-MUTE", "198.51.100.0", "198.51.100.255", []))
    row, chain = attribute("http://198.51.100.11/", attributor=attributor())
    assert chain.recipients == [] and {"no-abuse-contact", "no-recipient"} <= set(row.reasons)


def test_a_redirect_to_a_refused_address_is_not_followed(registry: Registry) -> None:
    registry.answer("/ip/198.51.100.20", b"", 302, Location="http://169.254.169.254/latest/meta-data/")
    _, chain = attribute("http://198.51.100.20/", attributor=attributor())
    detail = dict((str(r), d) for r, d in chain.reasons)["rdap-refused"]
    assert "metadata" in detail and chain.recipients == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>not rdap</html>", "rdap-malformed"),
        ({"objectClassName": "domain", "ldhName": "x.test"}, "rdap-malformed"),
        ({"objectClassName": "ip network", "startAddress": "nope"}, "rdap-malformed"),
        (b"[" * 10 + b"0" * 2_000_000, "rdap-malformed"),  # over the 1 MB cap
    ],
)
def test_answers_that_are_not_rdap_are_flagged(registry: Registry, body: Any, reason: str) -> None:
    registry.answer("/ip/198.51.100.30", body)
    row, _ = attribute("http://198.51.100.30/", attributor=attributor())
    assert reason in row.reasons


def test_other_statuses_are_errors(registry: Registry) -> None:
    registry.answer("/ip/198.51.100.31", {"errorCode": 400, "title": "Bad Request"}, 400)
    row, chain = attribute("http://198.51.100.31/", attributor=attributor())
    assert "rdap-error" in row.reasons
    assert "HTTP 400 (Bad Request)" in dict((str(r), d) for r, d in chain.reasons)["rdap-error"]


def test_rdap_turned_off_flags_every_url(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_RDAP_URL", "")
    row, chain = attribute("http://198.51.100.10/", attributor=attributor())
    assert "rdap-unavailable" in row.reasons
    assert "RDAP is turned off" in dict((str(r), d) for r, d in chain.reasons)["rdap-unavailable"]
