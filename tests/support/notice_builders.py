"""Real notices for the console's tests, made through the notices' own services: items added
for a recipient, the notice sent through the outbox (development delivery: written to the log,
recorded as ``console``), and recipients' answers through the responses' service."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sentinelle import clock
from sentinelle.audit.services import Actor
from sentinelle.notices.items import ItemInput
from sentinelle.notices.models import Notice
from sentinelle.notices.outbox import deliver
from sentinelle.notices.recipients import NoticeRecipient
from sentinelle.notices.services import add_items, request_send
from sentinelle.responses.models import NoticeResponse
from sentinelle.responses.services import record_response
from sentinelle.responses.validation import ResponseInput

#: Inside the day window 2026-01-05 (UTC).
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
NOTICE_SETTINGS = {
    "SENTINELLE_NOTICE_FROM": "Hotline Test <notices@hotline.example>",
    "SENTINELLE_NOTICE_ORG": "Hotline Test",
    "SENTINELLE_PUBLIC_URL": "https://hotline.example",
}


def digest(kind: str, seed: int) -> str:
    size = {"md5": 32, "sha1": 40, "sha256": 64, "pdq": 64}[kind]
    return hashlib.sha256(f"{kind}-{seed}".encode()).hexdigest()[:size]


def item(seed: int, *, host: str = "files.example.net", category: str = "csam") -> ItemInput:
    return ItemInput(
        url=f"http://{host}/gallery/{seed}.jpg", sha256=digest("sha256", seed), md5=digest("md5", seed),
        sha1=digest("sha1", seed), pdq=digest("pdq", seed), mime="image/jpeg", ip="192.0.2.10",
        category=category, first_seen=T0, last_verified=T0 + timedelta(minutes=5),
    )


def recipient(key: str = "provider:example-host", *, name: str = "Example Hosting abuse desk",
              provider: str = "example-host", language: str = "en") -> NoticeRecipient:
    return NoticeRecipient(key=key, name=name, email="abuse@example.net", language=language, role="host",
                           provider=provider)


def sent_notice(seeds: Iterable[int] = (1, 2), *, to: NoticeRecipient | None = None,
                host: str = "files.example.net", when: datetime = T0) -> Notice:
    """A notice with one item per seed, sent through the outbox."""
    intake = add_items(to or recipient(), [item(s, host=host) for s in seeds], actor=Actor.system("test"), now=when)
    assert intake.notice is not None
    request_send(str(intake.notice.reference), actor=Actor.user("operator-1"), now=when)
    with clock.using(clock.ManualClock(when + timedelta(minutes=1))):
        assert deliver(intake.notice.pk, worker="test-worker") == "sent"
    return Notice.objects.get(pk=intake.notice.pk)


def answered(notice: Notice, kind: str, text: str, *, item_seed: int | None = None, key: str = "key-00000001",
             when: datetime | None = None) -> NoticeResponse:
    """A recipient's answer through the responses' service (as the signed page records it)."""
    named = None
    if item_seed is not None:
        named = str(notice.items.get(sha256=digest("sha256", item_seed)).report_id)
    given = ResponseInput(kind=kind, submission_key=key, text=text, item=named,  # type: ignore[arg-type]
                          client_address="203.0.113.9")
    return record_response(str(notice.reference), given, now=when or T0 + timedelta(days=1)).response
