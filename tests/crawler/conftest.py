"""Fixtures for the egress tests: loopback web servers, a scripted resolver, real Scrapy crawls.

A crawl runs in a child process (Twisted's reactor cannot be restarted inside the test
process): this file is also that child's program, ``python conftest.py SPEC.json``. The child
runs one Scrapy crawl with the egress handler and reports, as JSON on its last output line,
what the spider saw (responses, failures with their egress reason), the ``egress/*`` stats,
the guard's lookups per host, any name lookup Twisted made itself (there must be none), and
every TCP connection Scrapy attempted.

Network fence: in the child every TCP connection attempt is recorded, and one to anything but
a loopback address is refused before a socket is made: no test traffic leaves the machine,
even when a test checks that the crawler *tries* to reach the public address it checked.
"""

from __future__ import annotations

import datetime
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sentinelle.sandbox.exceptions import UnknownHost
from sentinelle.sandbox.resolver import Address, Resolver

HERE = Path(__file__).resolve()
CRAWL_TIMEOUT = 60


class ScriptedResolver(Resolver):
    """Answers from a script, ``{host: [first answer, second answer, ...]}``, and counts lookups.

    The n-th lookup of a host gets the n-th answer (the last one again once the script runs
    out): a DNS server an attacker controls, answering differently each time.
    """

    def __init__(
        self, script: Mapping[str, Sequence[Sequence[str]]], *, blocking: bool = True
    ) -> None:
        self.blocking = blocking
        self._script = {
            host: [[ip_address(a) for a in answer] for answer in answers]
            for host, answers in script.items()
        }
        self._lock = threading.Lock()
        self.lookups: dict[str, int] = {}
        #: For each lookup, whether it ran in the main thread (the reactor's, in a crawl).
        self.in_main_thread: list[bool] = []

    def resolve(self, host: str) -> list[Address]:
        with self._lock:
            count = self.lookups.get(host, 0)
            self.lookups[host] = count + 1
            self.in_main_thread.append(threading.current_thread() is threading.main_thread())
        answers = self._script.get(host)
        if not answers:
            raise UnknownHost(host, "not in the script")
        return list(answers[min(count, len(answers) - 1)])


@pytest.fixture
def scripted() -> type[ScriptedResolver]:
    """The :class:`ScriptedResolver` class, for tests that build the guard themselves."""
    return ScriptedResolver


@dataclass
class Seen:
    """What a loopback server saw: connections accepted, requests (path, Host), TLS names."""

    connections: int = 0
    requests: list[tuple[str, str]] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)


class LoopbackServer(ThreadingHTTPServer):
    """A web server on a loopback address, in a thread. ``/`` answers 200 with its own port;
    ``/redirect?to=URL`` answers 302 to URL."""

    daemon_threads = True

    def __init__(self, host: str, port: int, tls: ssl.SSLContext | None) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)
        self.seen = Seen()
        if tls is not None:
            tls.sni_callback = lambda _sock, name, _ctx: self.seen.server_names.append(name)
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def get_request(self) -> tuple[socket.socket, Any]:
        accepted = super().get_request()
        self.seen.connections += 1
        return accepted

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LoopbackServer

    def do_GET(self) -> None:
        self.server.seen.requests.append((self.path, self.headers.get("Host", "")))
        parts = urlsplit(self.path)
        if parts.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", parse_qs(parts.query)["to"][0])
            body = b""
        else:
            self.send_response(200)
            body = f"hello from port {self.server.port}".encode()
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on at ``host`` right now (the kernel's pick, released)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def self_signed_context(name: str, folder: Path) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for ``name``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / f"{name}.crt", folder / f"{name}.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    """``serve(host="127.0.0.1", port=0, tls_name=None) -> LoopbackServer``; all stopped after."""
    started: list[LoopbackServer] = []

    def start(
        host: str = "127.0.0.1", port: int = 0, tls_name: str | None = None
    ) -> LoopbackServer:
        assert ip_address(host).is_loopback, "test servers listen on loopback only"
        tls = self_signed_context(tls_name, tmp_path) if tls_name else None
        server = LoopbackServer(host, port, tls)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@dataclass
class CrawlResult:
    responses: list[dict[str, Any]]
    failures: list[dict[str, Any]]
    stats: dict[str, int]
    lookups: dict[str, int]
    lookups_in_reactor_thread: list[bool]
    system_lookups: list[str]
    connects: list[list[Any]]
    log: str

    def failure(self, url: str) -> dict[str, Any]:
        (found,) = [failure for failure in self.failures if failure["url"] == url]
        return found

    def response(self, url: str) -> dict[str, Any]:
        (found,) = [response for response in self.responses if response["url"] == url]
        return found


@pytest.fixture
def crawl(tmp_path: Path) -> Any:
    """``crawl(urls, allow="", script={}, settings={}) -> CrawlResult``: one real Scrapy crawl
    of ``urls`` (in order, one at a time) in a child process. ``blocking`` is the scripted
    resolver's :attr:`~sentinelle.resolver.Resolver.blocking` (False: looked up in the
    reactor's thread)."""

    def run(
        urls: Sequence[str | dict[str, Any]],
        *,
        allow: str = "",
        script: Mapping[str, Sequence[Sequence[str]]] | None = None,
        settings: Mapping[str, Any] | None = None,
        blocking: bool = True,
    ) -> CrawlResult:
        spec = tmp_path / "spec.json"
        requests = [{"url": url} if isinstance(url, str) else url for url in urls]
        spec.write_text(
            json.dumps(
                {
                    "requests": requests,
                    "script": script or {},
                    "settings": settings or {},
                    "blocking": blocking,
                }
            ),
            encoding="utf-8",
        )
        env = {**os.environ, "SENTINELLE_EGRESS_ALLOW": allow}
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env.pop(proxy, None)
        done = subprocess.run(
            [sys.executable, str(HERE), str(spec)],
            env=env,
            capture_output=True,
            text=True,
            timeout=CRAWL_TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        report = json.loads(done.stdout.strip().splitlines()[-1])
        return CrawlResult(log=done.stderr, **report)

    return run


# --- the child process ---------------------------------------------------------------------


def _child(spec_path: str) -> None:
    from scrapy import Request, Spider
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.reactor import install_reactor
    from zope.interface import implementer

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import defer, reactor
    from twisted.internet.error import ConnectionRefusedError, DNSLookupError
    from twisted.internet.interfaces import IResolverSimple

    from sentinelle.crawl.egress_download import egress_settings

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    resolver = ScriptedResolver(spec["script"], blocking=spec["blocking"])
    connects: list[list[Any]] = []
    system_lookups: list[str] = []
    responses: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []

    real_connect_tcp = reactor.connectTCP

    def fenced_connect_tcp(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        connects.append([host, port])
        try:
            loopback = ip_address(host).is_loopback
        except ValueError:
            loopback = False  # a name: the crawler must never connect by name
        if not loopback:
            raise ConnectionRefusedError(f"test network fence: {host} is not loopback")
        return real_connect_tcp(host, port, *args, **kwargs)

    reactor.connectTCP = fenced_connect_tcp

    @implementer(IResolverSimple)
    class RecordingDnsResolver:
        """Twisted's own name lookups (there must be none): recorded, and failed."""

        @classmethod
        def from_crawler(cls, crawler: Any, reactor: Any) -> RecordingDnsResolver:
            return cls()

        def install_on_reactor(self) -> None:
            reactor.installResolver(self)

        def getHostByName(self, name: str, timeout: Any = None) -> Any:
            system_lookups.append(name)
            return defer.fail(DNSLookupError(name))

    class EgressSpider(Spider):
        name = "egress"

        async def start(self) -> Any:
            for item in spec["requests"]:
                yield Request(
                    item["url"],
                    meta=item.get("meta", {}),
                    callback=self.parse,
                    errback=self.failed,
                    dont_filter=True,
                )

        def parse(self, response: Any) -> None:
            responses.append(
                {
                    "url": response.url,
                    "status": response.status,
                    "body": response.text,
                    "ip": str(response.ip_address),
                    "redirects": response.meta.get("redirect_urls", []),
                }
            )

        def failed(self, failure: Any) -> None:
            error = failure.value
            failures.append(
                {
                    "url": failure.request.url,
                    "type": type(error).__name__,
                    "reason": str(getattr(error, "reason", "")),
                    "address": str(getattr(error, "address", "")),
                    "message": str(error),
                }
            )

    settings = {
        **egress_settings(),
        "EGRESS_RESOLVER": lambda: resolver,  # a callable: Scrapy deep-copies settings values
        "TWISTED_DNS_RESOLVER": RecordingDnsResolver,
        "CONCURRENT_REQUESTS": 1,
        "DOWNLOAD_TIMEOUT": 10,
        "RETRY_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": "INFO",
        **spec["settings"],
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(EgressSpider)
    process.crawl(crawler)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("egress/")}
    print(
        json.dumps(
            {
                "responses": responses,
                "failures": failures,
                "stats": stats,
                "lookups": resolver.lookups,
                "lookups_in_reactor_thread": resolver.in_main_thread,
                "system_lookups": system_lookups,
                "connects": connects,
            }
        )
    )


if __name__ == "__main__":
    _child(sys.argv[1])
