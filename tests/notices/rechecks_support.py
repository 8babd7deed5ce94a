"""Helpers for the intake, recheck and escalation tests: the sandbox web (sites, takedowns,
RDAP, IP-to-ASN data) on loopback, sightings made by really fetching and matching sandbox
images, and a small HTTP server whose answers a test changes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SEED = 7
IMAGES = 120
#: Where the tests' clock starts: a Monday, 09:00 UTC.
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: pytest-django's database for these tests on PostgreSQL: DATABASE_URL=.../h6rechecks
POSTGRES_HINT = "postgres://postgres@127.0.0.1:5432/h6rechecks"


@dataclass
class SandboxWorld:
    """A running sandbox (in a thread of the test process), its files and its manifest."""

    thread: Any
    sandbox: Any
    folder: Path
    records: list[dict[str, Any]]
    #: URLs taken down by a test: the sandbox keeps them gone for the session.
    gone: set[str] = field(default_factory=set)

    @property
    def port(self) -> int:
        return int(self.sandbox.port)

    @property
    def hosts(self) -> Path:
        return self.folder / "hosts"

    @property
    def known_csv(self) -> Path:
        return self.folder / "known.csv"

    def env(self) -> dict[str, str]:
        return {"SENTINELLE_RDAP_URL": self.sandbox.rdap_url,
                "SENTINELLE_EGRESS_ALLOW": f"127.64.0.0/10:{self.port}",
                "SENTINELLE_ASN_DB": str(self.folder / "ip2asn-v4.tsv")}

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [record for record in self.records if record["type"] == kind]

    def provider(self, index: int) -> dict[str, Any]:
        return self.of_type("provider")[index]

    def take_down(self, urls: list[str], reference: str) -> None:
        self.gone.update(urls)
        self.sandbox.take_down(urls, reference=reference)

    def media_urls(self, provider: dict[str, Any]) -> list[str]:
        """URLs of listed images (copies and variants) served directly by the provider's sites,
        and not taken down by an earlier test."""
        hosts = {s["host"] for s in self.of_type("site") if s["provider"] == provider["slug"] and s["role"] == "ordinary"}
        found = [p["final"] for p in self.of_type("placement")
                 if p["expected"] in ("exact", "near") and not p["redirects"] and p["final"]
                 and urlsplit(p["final"]).hostname in hosts and "?" not in p["final"] and p["final"] not in self.gone]
        return list(dict.fromkeys(found))

    def reset_registries(self) -> None:
        (rdap,) = self.of_type("rdap")
        for registry in rdap["registries"]:
            self.sandbox.set_rdap_up(registry["host"], bool(registry["starts_up"]))


def start_world(folder: Path) -> SandboxWorld:
    from sentinelle.sandbox import (
        PolicyAction,
        SandboxThread,
        TakedownPolicy,
        build_world,
        export_files,
    )

    policies = [TakedownPolicy(PolicyAction.IMMEDIATE), TakedownPolicy(PolicyAction.IMMEDIATE),
                TakedownPolicy(PolicyAction.NEVER), TakedownPolicy(PolicyAction.DISPUTE)]
    thread = SandboxThread(build_world(SEED, images=IMAGES, policies=policies), log_folder=folder / "takedowns")
    sandbox = thread.start()
    files = export_files(sandbox, folder)
    records = [json.loads(line) for line in files.manifest.read_text().splitlines()]
    return SandboxWorld(thread, sandbox, folder, records)


def store_known_list(world: SandboxWorld, *, name: str, verified: bool = True) -> Any:
    """The sandbox's known list, stored (audited import) under ``name``."""
    from dataclasses import replace

    from sentinelle.audit.services import Actor
    from sentinelle.banks.services import get_list, import_list
    from sentinelle.sandbox import known_list

    hashes = known_list(world.sandbox.world, world.sandbox.images)
    import_list(replace(hashes, name=name, verified=verified), actor=Actor.user("analyst-1"))
    return get_list(name)


def sight(url: str, resolver: Any, *, seen_at: datetime, run: str = "run-1", page_url: str | None = None) -> Any:
    """Fetch ``url`` through the egress guard, hash and match it against every enabled stored
    list (candidates confirmed on the reference path), and record the sighting, as the
    crawler does."""
    from sentinelle.banks.services import load_lists
    from sentinelle.crawl.egress import EgressGuard, EgressPolicy
    from sentinelle.crawl.fetch import Fetcher
    from sentinelle.engine.matcher import Matcher
    from sentinelle.engine.scan import ScanSettings, scan_bytes
    from sentinelle.sightings.observations import FoundMatch, SeenMedia
    from sentinelle.sightings.services import record_sighting

    fetched = Fetcher(EgressGuard(EgressPolicy.from_environment(), resolver)).get(url)
    assert fetched.status == 200, (url, fetched.status)
    media, matches = scan_bytes(fetched.body, Matcher(load_lists()), ScanSettings())
    found = [FoundMatch(m.list, m.signal_type, m.hash, m.distance, True, category=m.category or "",
                        transform=m.transform or "") for m in matches]
    sighting, _ = record_sighting(SeenMedia.from_bytes(fetched.body, media), url=url, seen_at=seen_at,
                                  page_url=page_url, ip=fetched.address, http_status=200, matches=found, run=run)
    return sighting


@dataclass
class ContentServer:
    """A real HTTP server on loopback; ``routes[path] = (status, body, content type)``."""

    routes: dict[str, tuple[int, bytes, str]] = field(default_factory=dict)
    port: int = 0
    requests: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def allow(self) -> str:
        return f"127.0.0.1/32:{self.port}"


@contextmanager
def content_server() -> Iterator[ContentServer]:
    state = ContentServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            status, body, content_type = state.routes.get(self.path, (404, b"not here", "text/plain"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def notice_urls(world: SandboxWorld, urls: list[str], *, now: datetime) -> list[Any]:
    """Sight ``urls`` on the sandbox, run an intake pass, and send the notices it made now
    (through the outbox and whatever channels the settings give); the notices, sent."""
    from sentinelle.audit.services import Actor
    from sentinelle.notices import wiring
    from sentinelle.notices.from_matches import run
    from sentinelle.notices.models import Notice
    from sentinelle.notices.outbox import deliver
    from sentinelle.notices.services import request_send

    for url in urls:
        sight(url, world.sandbox.resolver, seen_at=now)
    run(attributor=wiring.current().attributor(), actor=Actor.system("intake"), now=now)
    notices = list(Notice.objects.filter(kind="notice", status="draft").order_by("id"))
    for notice in notices:
        request_send(str(notice.reference), actor=Actor.user("operator-1"), now=now)
        assert deliver(notice.pk, worker="test-worker") == "sent"
        notice.refresh_from_db()
    return notices


def picture_bytes(seed: int, *, quality: int = 90) -> bytes:
    from support.pictures import draw_picture, encode

    return encode(draw_picture(seed), "JPEG", quality=quality)


def item_for(url: str, data: bytes, *, list_name: str, seen: datetime) -> Any:
    """A notice item for ``data`` served at ``url``, standing on its reference PDQ in ``list_name``."""
    from sentinelle.hashing import digests, reference_pdq_of
    from sentinelle.notices.items import ItemInput, ListedHash

    sums, pdq = digests(data), reference_pdq_of(data)
    return ItemInput(url=url, sha256=sums.sha256, md5=sums.md5, sha1=sums.sha1, pdq=pdq.hash, mime="image/jpeg",
                     category="csam", first_seen=seen, last_verified=seen,
                     matched=(ListedHash(list_name, "pdq", pdq.hash),))
