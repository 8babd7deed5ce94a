"""Notices to answer, for the response tests: made through the notices' own service, then
marked sent (the response page answers only notices that went out)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.notices.items import ItemInput
from sentinelle.notices.models import Notice, Status
from sentinelle.notices.recipients import NoticeRecipient
from sentinelle.notices.services import add_items

#: Inside the day window 2026-01-05 (UTC).
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def digest(kind: str, seed: int) -> str:
    size = {"md5": 32, "sha1": 40, "sha256": 64, "pdq": 64}[kind]
    return hashlib.sha256(f"{kind}-{seed}".encode()).hexdigest()[:size]


def item(seed: int, *, category: str = "csam") -> ItemInput:
    return ItemInput(
        url=f"http://files.example.net/gallery/{seed}.jpg", sha256=digest("sha256", seed),
        md5=digest("md5", seed), sha1=digest("sha1", seed), pdq=digest("pdq", seed), mime="image/jpeg",
        ip="192.0.2.10", category=category, first_seen=T0, last_verified=T0 + timedelta(minutes=5),
    )


def sent_notice(seeds: Iterable[int] = (1, 2), *, language: str = "en", key: str = "provider:example-host",
                sent: bool = True) -> Notice:
    recipient = NoticeRecipient(key=key, name="Example Hosting abuse desk", email="abuse@example.net",
                                language=language, role="host", provider="example-host")
    intake = add_items(recipient, [item(s, category="harmful-abusive" if s % 2 == 0 else "csam") for s in seeds],
                       actor=Actor.system("test"), now=T0)
    assert intake.notice is not None
    if sent:
        Notice.objects.filter(pk=intake.notice.pk).update(status=Status.SENT, frozen_at=T0, sent_at=T0)
    return Notice.objects.get(pk=intake.notice.pk)


def audit_actions(reference: str) -> list[str]:
    return list(AuditEvent.objects.filter(target_id=reference).order_by("seq").values_list("action", flat=True))
