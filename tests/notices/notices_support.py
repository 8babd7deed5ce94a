"""Helpers for the notice tests: a webhook receiver on loopback, items, recipients, workers."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sentinelle.audit.models import AuditEvent
from sentinelle.notices.items import ItemInput, ListedHash
from sentinelle.notices.recipients import NoticeRecipient

#: A fixed moment inside the window 2026-01-05 00:00 .. 2026-01-06 00:00 UTC (day windows).
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
SECRET_NAME = "example-host.hook"
SECRET = "webhook-secret-for-tests-0123456789"
LEGAL_BASIS = "Criminal Code of Testland, s. 163.1 (test wording)"


def digest(kind: str, seed: int) -> str:
    """A stand-in hash value of the right length (the tests never need the bytes)."""
    size = {"md5": 32, "sha1": 40, "sha256": 64, "pdq": 64}[kind]
    return hashlib.sha256(f"{kind}-{seed}".encode()).hexdigest()[:size]


def item(seed: int, *, host: str = "files.example.net", category: str = "csam", seen: datetime = T0,
         matched: tuple[ListedHash, ...] = ()) -> ItemInput:
    return ItemInput(
        url=f"http://{host}/gallery/{seed}.jpg", sha256=digest("sha256", seed), md5=digest("md5", seed),
        sha1=digest("sha1", seed), pdq=digest("pdq", seed), mime="image/jpeg", ip="192.0.2.10",
        category=category, first_seen=seen, last_verified=seen + timedelta(minutes=5), matched=matched,
    )


def recipient(key: str = "provider:example-host", *, language: str = "en", email: str = "abuse@example.net",
              webhook_url: str = "") -> NoticeRecipient:
    return NoticeRecipient(
        key=key, name="Example Hosting abuse desk", email=email, language=language, role="host",
        provider="example-host", webhook_url=webhook_url,
        webhook_secret_ref=SECRET_NAME if webhook_url else "",
    )


def actions(target_id: str) -> list[str]:
    return list(AuditEvent.objects.filter(target_id=target_id).order_by("seq").values_list("action", flat=True))


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]


@dataclass
class WebhookReceiver:
    """A real HTTP server on loopback: checks each POST's signature, answers from a script."""

    secret: str = SECRET
    answers: list[int] = field(default_factory=list)  #: statuses to give, then 200s
    received: list[Delivery] = field(default_factory=list)
    url: str = ""
    port: int = 0
    location: str = ""  #: the ``Location`` of a 3xx answer
    answer_body: bytes = b""  #: instead of ``thanks`` / ``no``

    @property
    def allow_entry(self) -> str:
        """The ``SENTINELLE_EGRESS_ALLOW`` entry that lets the egress guard reach it."""
        return f"127.0.0.1/32:{self.port}"

    def answer(self) -> int:
        return self.answers.pop(0) if self.answers else 200


@contextmanager
def webhook_receiver(secret: str = SECRET, *, allowed: bool = True) -> Iterator[WebhookReceiver]:
    """A receiver on 127.0.0.1; ``allowed``: its port is added to ``SENTINELLE_EGRESS_ALLOW``
    while it runs (webhooks go through the egress guard, which refuses loopback)."""
    receiver = WebhookReceiver(secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            timestamp = self.headers.get("X-Sentinelle-Timestamp", "")
            expected = hmac.new(receiver.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
            given = self.headers.get("X-Sentinelle-Signature", "")
            fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
            ok = fresh and hmac.compare_digest(given, f"sha256={expected.hexdigest()}")
            receiver.received.append(Delivery(dict(self.headers.items()), body, ok))
            status = receiver.answer() if ok else 401
            text = receiver.answer_body or (b"thanks" if status < 300 else b"no")
            self.send_response(status)
            if 300 <= status < 400 and receiver.location:
                self.send_header("Location", receiver.location)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = server.server_port
    receiver.url = f"http://127.0.0.1:{receiver.port}/hooks/notices?source=sentinelle"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    before = os.environ.get("SENTINELLE_EGRESS_ALLOW")
    if allowed:
        os.environ["SENTINELLE_EGRESS_ALLOW"] = ",".join(filter(None, [before, receiver.allow_entry]))
    try:
        yield receiver
    finally:
        if before is None:
            os.environ.pop("SENTINELLE_EGRESS_ALLOW", None)
        else:
            os.environ["SENTINELLE_EGRESS_ALLOW"] = before
        server.shutdown()
        server.server_close()
