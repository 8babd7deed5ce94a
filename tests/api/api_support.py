"""Partners, tokens and data for the API tests, made through the services themselves."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sentinelle.attribution.models import Provider
from sentinelle.audit.services import Actor
from sentinelle.notices.items import ItemInput
from sentinelle.notices.models import Notice, Status
from sentinelle.notices.recipients import NoticeRecipient
from sentinelle.notices.services import add_items
from sentinelle.partners.models import Partner
from sentinelle.partners.services import create_partner, issue_token

ADMIN = Actor.user("admin-1")
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def partner(name: str = "platform-a", *, lists: Iterable[str] = (), provider: Provider | None = None) -> Partner:
    return create_partner(name, actor=ADMIN, contact="trust@platform.example", lists=list(lists),
                          provider_id=provider.id if provider else None)


def token(owner: Partner, *scopes: str, days: int | None = 30, rate: int | None = None) -> str:
    issued = issue_token(owner, scopes, actor=ADMIN, expires_days=days)
    if rate is not None:
        issued.record.rate_limit = rate
        issued.record.save(update_fields=["rate_limit"])
    return issued.token


def provider(slug: str) -> Provider:
    return Provider.objects.create(slug=slug, name=f"{slug} hosting")


def digest(kind: str, seed: int) -> str:
    size = {"md5": 32, "sha1": 40, "sha256": 64, "pdq": 64}[kind]
    return hashlib.sha256(f"{kind}-{seed}".encode()).hexdigest()[:size]


def sent_notice(provider_slug: str, seeds: Iterable[int] = (1, 2)) -> Notice:
    """A notice to ``provider_slug``'s abuse desk, marked sent (only sent notices are answered)."""
    recipient = NoticeRecipient(key=f"host:{provider_slug}", name=f"{provider_slug} abuse desk",
                                email="abuse@example.net", language="en", role="host", provider=provider_slug)
    items = [ItemInput(
        url=f"http://files.example.net/gallery/{s}.jpg", sha256=digest("sha256", s), md5=digest("md5", s),
        sha1=digest("sha1", s), pdq=digest("pdq", s), mime="image/jpeg", ip="192.0.2.10", category="csam",
        first_seen=T0, last_verified=T0 + timedelta(minutes=5),
    ) for s in seeds]
    intake = add_items(recipient, items, actor=Actor.system("test"), now=T0)
    assert intake.notice is not None
    Notice.objects.filter(pk=intake.notice.pk).update(status=Status.SENT, frozen_at=T0, sent_at=T0)
    return Notice.objects.get(pk=intake.notice.pk)
