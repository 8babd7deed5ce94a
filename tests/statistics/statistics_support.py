"""Helpers of the statistics tests: a user logged in with both factors through the real login
pages, and sightings, matches, notices and attributions seeded in a known period."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentinelle.accounts.services import create_user
from sentinelle.attribution.models import Attribution
from sentinelle.audit.services import Actor
from sentinelle.notices.models import ItemStatus, Kind, Notice, NoticeItem, Status
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_sighting

PASSWORD = "statistics passphrase 42"
START = datetime(2026, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)
PERIOD = f"since={START.date().isoformat()}&until={(START + 7 * DAY).date().isoformat()}"


def verified(username: str, role: str) -> Client:
    """A client logged in as a new ``role`` user: password, then a confirmed TOTP device."""
    create_user(username, PASSWORD, role, actor=Actor.user("cli:test"))
    client = Client()
    answer = client.post("/en/accounts/login/", {"username": username, "password": PASSWORD})
    assert answer.status_code == 302 and answer["Location"] == "/en/accounts/enrol/", answer
    assert client.get("/en/accounts/enrol/").status_code == 200
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    assert client.post("/en/accounts/enrol/", {"code": f"{totp.token():0{device.digits}d}"}).status_code == 200
    return client


def _hash(kind: str, seed: int, size: int) -> str:
    return hashlib.sha256(f"{kind}-{seed}".encode()).hexdigest()[:size]


def sighting(number: int, seen_at: datetime, *, matched: bool) -> None:
    media = SeenMedia(sha256=_hash("sha256", number, 64), md5=_hash("md5", number, 32),
                      sha1=_hash("sha1", number, 40), size=10, mime="image/jpeg")
    found = [FoundMatch("known", "md5", media.md5, 0, True)] if matched else []
    record_sighting(media, url=f"http://site.example/m/{number}.jpg", page_url=f"http://site.example/p{number}",
                    seen_at=seen_at, matches=found)


def notice(provider: str, sent_at: datetime, removals: list[timedelta | None], country: str = "") -> None:
    """A sent notice to ``provider`` with one item per entry: removed after it, or still open."""
    made = Notice.objects.create(
        kind=Kind.NOTICE, message_id=f"<{provider}-{sent_at.timestamp()}@x>", recipient_key=f"hosting:{provider}",
        recipient_name=provider, recipient_provider=provider, window_start=sent_at, window_end=sent_at,
        status=Status.SENT, email_state="sent", webhook_state="none", due_at=sent_at, sent_at=sent_at)
    for index, taken in enumerate(removals):
        url = f"http://{provider.strip('<>')}.example/{made.pk}/{index}.jpg"
        key = hashlib.sha256(url.encode()).hexdigest()
        NoticeItem.objects.create(
            notice=made, url=url, url_key=key, host=f"{provider.strip('<>')}.example",
            sha256=_hash("item", made.pk * 100 + index, 64), category="csam", legal_basis="law", first_seen=sent_at,
            last_verified=sent_at, status=ItemStatus.REMOVED if taken else ItemStatus.OPEN,
            removed_at=sent_at + taken if taken else None, time_to_removal=taken)
        if country:
            Attribution.objects.create(url_key=key, url=url, host=f"{provider.strip('<>')}.example",
                                       country=country, status="ok", chain={}, attributed=sent_at)


def seed() -> None:
    """In the week from START: 5 matched sightings (3 on day 0, 2 on day 2), 2 without a match;
    notices to ``alpha`` (BE) and ``<script>`` (FR). Before it: one matched sighting, one notice."""
    for number in range(3):
        sighting(number, START + timedelta(hours=number), matched=True)
    for number in range(3, 5):
        sighting(number, START + 2 * DAY + timedelta(hours=number), matched=True)
    for number in range(5, 7):
        sighting(number, START + DAY, matched=False)
    sighting(9, START - DAY, matched=True)
    notice("alpha", START + DAY, [timedelta(minutes=30), timedelta(hours=3), timedelta(days=2), None], "BE")
    notice("<script>", START + 2 * DAY, [timedelta(hours=10), None], "FR")
    notice("alpha", START - 3 * DAY, [timedelta(hours=1)], "BE")
