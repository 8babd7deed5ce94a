"""The synchronous fetcher: through the egress guard, connected to the checked address only.

Real HTTP servers on loopback (threads of this process). A network fence replaces urllib3's
``create_connection``: it records every connection attempt and refuses one to anything but
a loopback address before a socket is made, so no test traffic leaves the machine even when a
test checks that the fetcher *tries* the public address it checked.
"""

from __future__ import annotations

import gzip
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import urllib3.util.connection
from conftest import self_signed_context

from sentinelle.crawl.egress import EgressBlocked, EgressGuard, EgressPolicy, Refusal
from sentinelle.crawl.egress_allowlist import parse_allowlist
from sentinelle.crawl.fetch import (
    Fetcher,
    FetchFailed,
    FetchLimits,
    ResponseTooLarge,
    TooManyRedirects,
)

PUBLIC = "93.184.216.34"
BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, tls: ssl.SSLContext | None = None) -> None:
        super().__init__((host, 0), Handler)
        self.connections = 0
        self.requests: list[dict[str, Any]] = []
        self.server_names: list[str | None] = []
        if tls is not None:
            tls.sni_callback = lambda _s, name, _c: self.server_names.append(name)
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True).start()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def get_request(self) -> tuple[socket.socket, Any]:
        accepted = super().get_request()
        self.connections += 1
        return accepted


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        sent = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        seen = {"path": self.path, "method": self.command, "host": self.headers.get("Host"),
                "authorization": self.headers.get("Authorization"), "body": sent.decode()}
        self.server.requests.append(seen)
        route = parts.path
        if route == "/redirect":
            self._send(int(query.get("status", "302")), b"", Location=query["to"])
        elif route == "/big":
            self._send(200, b"x" * int(query["n"]))
        elif route == "/chunked":
            self._chunked(int(query["n"]))
        elif route == "/gzip":
            self._send(200, gzip.compress(b"small and fine"), **{"Content-Encoding": "gzip"})
        elif route == "/bomb":
            self._send(200, BOMB, **{"Content-Encoding": "gzip"})
        elif route == "/brotli":
            self._send(200, b"?", **{"Content-Encoding": "br"})
        elif route == "/drip":
            self._drip()
        else:
            self._send(200, json.dumps(seen).encode(), **{"Content-Type": "application/json"})

    def _send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _chunked(self, size: int) -> None:
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for start in range(0, size, 4096):
            piece = b"y" * min(4096, size - start)
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        try:
            for _ in range(1000):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def servers() -> Iterator[Any]:
    started: list[Server] = []

    def start(host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> Server:
        server = Server(host, tls)
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fence(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every connection urllib3 attempts; one to a non-loopback address is refused."""
    attempts: list[tuple[str, int]] = []
    real = urllib3.util.connection.create_connection

    def fenced(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(address)
        if not ip_address(address[0]).is_loopback:  # a name raises ValueError: never allowed
            raise ConnectionRefusedError(f"test network fence: {address[0]} is not loopback")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", fenced)
    return attempts


def fetcher(resolver: Any, allow: str = "", **limits: Any) -> Fetcher:
    return Fetcher(EgressGuard(EgressPolicy(parse_allowlist(allow)), resolver), limits=FetchLimits(**limits))


def test_connects_to_the_checked_address_with_the_urls_host(servers: Any, scripted: Any, fence: Any) -> None:
    server = servers()
    resolver = scripted({"rdap.example.test": [["127.0.0.1"]]})
    got = fetcher(resolver, f"127.0.0.1/32:{server.port}").get(
        f"http://rdap.example.test:{server.port}/ip/1.2.3.4?x=1"
    )
    assert got.status == 200
    seen = json.loads(got.body)
    assert (seen["path"], seen["host"]) == ("/ip/1.2.3.4?x=1", f"rdap.example.test:{server.port}")
    assert fence == [("127.0.0.1", server.port)]  # the address, never the name
    assert resolver.lookups == {"rdap.example.test": 1}
    assert (got.address, got.final_url, got.redirects) == ("127.0.0.1", got.url, [])


def test_a_rebinding_resolver_gets_one_lookup_per_fetch_and_its_second_answer_is_refused(
    servers: Any, scripted: Any, fence: Any
) -> None:
    server = servers()  # listens on 127.0.0.1: it must never see a connection
    resolver = scripted({"rebind.test": [[PUBLIC], ["127.0.0.1"]]})
    client = fetcher(resolver)
    url = f"http://rebind.test:{server.port}/"
    with pytest.raises(FetchFailed):
        client.get(url)  # the checked public address is tried (and fenced), nothing else
    assert fence == [(PUBLIC, server.port)]
    assert resolver.lookups == {"rebind.test": 1}
    with pytest.raises(EgressBlocked) as refused:
        client.get(url)
    assert refused.value.reason is Refusal.LOOPBACK
    assert resolver.lookups == {"rebind.test": 2}
    assert fence == [(PUBLIC, server.port)]
    assert server.connections == 0


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.1:6379/", Refusal.LOOPBACK),
        ("http://169.254.169.254/latest/meta-data/", Refusal.METADATA),
        ("http://0x7f000001:{port}/", Refusal.LOOPBACK),
        ("http://[::ffff:127.0.0.1]:{port}/", Refusal.LOOPBACK),
        ("http://10.1.2.3/", Refusal.PRIVATE),
        ("http://private.test:{port}/", Refusal.PRIVATE),
        ("ftp://files.test/", Refusal.SCHEME),
    ],
)
def test_each_redirect_hop_is_checked_and_a_refused_hop_stops_the_fetch(
    servers: Any, scripted: Any, fence: Any, target: str, reason: Refusal
) -> None:
    server = servers("127.0.0.2")
    decoy = servers("127.0.0.1")  # what some of the refused hops point at
    resolver = scripted({"start.test": [["127.0.0.2"]], "private.test": [["192.168.1.5"]]})
    hop = target.format(port=decoy.port)
    with pytest.raises(EgressBlocked) as refused:
        fetcher(resolver, f"127.0.0.2/32:{server.port}").get(
            f"http://start.test:{server.port}/redirect?to={hop}"
        )
    assert refused.value.reason is reason
    assert fence == [("127.0.0.2", server.port)]
    assert decoy.connections == 0


def test_a_redirect_to_an_allowed_name_is_resolved_once_and_followed(servers: Any, scripted: Any, fence: Any) -> None:
    first, second = servers("127.0.0.2"), servers("127.0.0.3")
    resolver = scripted({"registry.test": [["127.0.0.2"]], "regional.test": [["127.0.0.3"]]})
    allow = f"127.0.0.2/32:{first.port},127.0.0.3/32:{second.port}"
    hop = f"http://regional.test:{second.port}/ip/127.64.1.10"
    got = fetcher(resolver, allow).get(f"http://registry.test:{first.port}/redirect?status=301&to={hop}")
    assert (got.status, got.final_url, got.address) == (200, hop, "127.0.0.3")
    assert [(h.status, h.address) for h in got.hops] == [(301, "127.0.0.2"), (200, "127.0.0.3")]
    assert got.redirects == [f"http://registry.test:{first.port}/redirect?status=301&to={hop}"]
    assert resolver.lookups == {"registry.test": 1, "regional.test": 1}
    assert json.loads(got.body)["host"] == f"regional.test:{second.port}"


def test_redirects_are_not_followed_when_asked_and_are_capped(servers: Any, scripted: Any, fence: Any) -> None:
    server = servers()
    resolver = scripted({"loop.test": [["127.0.0.1"]]})
    client = fetcher(resolver, f"127.0.0.1/32:{server.port}", max_redirects=3)
    loop = f"http://loop.test:{server.port}/redirect?to=/redirect%3Fto%3D/redirect"
    with pytest.raises(TooManyRedirects):
        client.get(f"http://loop.test:{server.port}/redirect?to=/redirect?to=/redirect?to=/redirect?to=/")
    kept = client.get(loop, follow=False)
    assert (kept.status, kept.headers["location"]) == (302, "/redirect?to=/redirect")


def test_303_turns_a_post_into_a_get_and_credentials_do_not_cross_origins(
    servers: Any, scripted: Any, fence: Any
) -> None:
    first, second = servers("127.0.0.2"), servers("127.0.0.3")
    resolver = scripted({"a.test": [["127.0.0.2"]], "b.test": [["127.0.0.3"]]})
    client = fetcher(resolver, f"127.0.0.2/32:{first.port},127.0.0.3/32:{second.port}")
    to = f"http://b.test:{second.port}/landed"
    got = client.request("POST", f"http://a.test:{first.port}/redirect?status=303&to={to}",
                         body=b"payload", headers={"Authorization": "Bearer secret"})
    assert first.requests[0]["body"] == "payload"
    assert first.requests[0]["authorization"] == "Bearer secret"
    seen = json.loads(got.body)
    assert (seen["method"], seen["body"], seen["authorization"]) == ("GET", "", None)


def test_the_next_checked_address_is_tried_when_one_cannot_be_reached(servers: Any, scripted: Any, fence: Any) -> None:
    server = servers("127.0.0.3")
    resolver = scripted({"two.test": [["127.0.0.2", "127.0.0.3"]]})  # nothing listens on .2
    got = fetcher(resolver, f"127.0.0.0/8:{server.port}").get(f"http://two.test:{server.port}/")
    assert got.address == "127.0.0.3"
    assert fence == [("127.0.0.2", server.port), ("127.0.0.3", server.port)]


def test_https_presents_the_urls_host_as_server_name_and_checks_its_certificate(
    servers: Any, scripted: Any, fence: Any, tmp_path: Path
) -> None:
    server = servers("127.0.0.1", self_signed_context("secure.test", tmp_path))
    resolver = scripted({"secure.test": [["127.0.0.1"]], "other.test": [["127.0.0.1"]]})
    trust = ssl.create_default_context(cafile=str(tmp_path / "secure.test.crt"))
    guard = EgressGuard(EgressPolicy(parse_allowlist(f"127.0.0.1/32:{server.port}")), resolver)
    client = Fetcher(guard, tls=trust)
    got = client.get(f"https://secure.test:{server.port}/x")
    assert json.loads(got.body)["host"] == f"secure.test:{server.port}"
    assert server.server_names == ["secure.test"]
    with pytest.raises(FetchFailed):  # the certificate does not name other.test
        client.get(f"https://other.test:{server.port}/x")
    assert fence == [("127.0.0.1", server.port)] * 2


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/big?n=5000", ResponseTooLarge),  # Content-Length over the cap: refused before reading
        ("/chunked?n=20000", ResponseTooLarge),  # no length: counted as it arrives
        ("/bomb", ResponseTooLarge),  # 64 MiB of zeros in ~64 KiB of gzip
        ("/brotli", FetchFailed),  # an encoding the fetcher cannot bound
    ],
)
def test_bodies_are_capped_after_decompression(servers: Any, scripted: Any, fence: Any, path: str, problem: type[Exception]) -> None:
    server = servers()
    resolver = scripted({"big.test": [["127.0.0.1"]]})
    with pytest.raises(problem):
        fetcher(resolver, f"127.0.0.1/32:{server.port}", max_bytes=4096).get(f"http://big.test:{server.port}{path}")


def test_small_gzip_and_chunked_bodies_are_read_whole(servers: Any, scripted: Any, fence: Any) -> None:
    server = servers()
    resolver = scripted({"ok.test": [["127.0.0.1"]]})
    client = fetcher(resolver, f"127.0.0.1/32:{server.port}", max_bytes=4096)
    assert client.get(f"http://ok.test:{server.port}/gzip").body == b"small and fine"
    assert client.get(f"http://ok.test:{server.port}/chunked?n=4096").body == b"y" * 4096


def test_a_slow_drip_is_cut_at_the_deadline(servers: Any, scripted: Any, fence: Any) -> None:
    server = servers()
    resolver = scripted({"slow.test": [["127.0.0.1"]]})
    started = time.monotonic()
    with pytest.raises(FetchFailed):
        fetcher(resolver, f"127.0.0.1/32:{server.port}", timeout=0.6).get(f"http://slow.test:{server.port}/drip")
    assert time.monotonic() - started < 5  # 1,000 bytes at 20 a second would take 50 s
