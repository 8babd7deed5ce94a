"""The retention job deletes review copies past their expiry, and only those."""

from __future__ import annotations

from datetime import timedelta

import pytest
from storage_support import T0, events, picture

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor
from sentinelle.banks.models import StoredList
from sentinelle.config import ConfigurationError
from sentinelle.review.keys import StaticKeyProvider
from sentinelle.review.models import ReviewMedia
from sentinelle.review.retention import purge_expired, retention_period
from sentinelle.review.services import store_review_media
from sentinelle.sightings.models import Media
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_sighting

pytestmark = pytest.mark.django_db

PAGE = "https://gallery.example/albums/9"
CRAWLER = Actor.system("crawler-1")


@pytest.fixture
def on_confirmed_page(known_list: StoredList, known_bytes: bytes) -> list[tuple[Media, bytes]]:
    """Three unknown pictures on a confirmed page."""
    matches = [
        FoundMatch.from_known(k, distance=0, confirmed_reference=True)
        for k in known_list.hashes.all()
    ]
    record_sighting(
        SeenMedia.from_bytes(known_bytes),
        url="https://cdn.example/k.jpg",
        page_url=PAGE,
        seen_at=T0,
        matches=matches,
    )
    found = []
    for seed in (21, 22, 23):
        data = picture(seed)
        sighting, _ = record_sighting(
            SeenMedia.from_bytes(data),
            url=f"https://cdn.example/{seed}.jpg",
            page_url=PAGE,
            seen_at=T0,
        )
        found.append((sighting.media, data))
    return found


def test_only_expired_copies_are_deleted(
    on_confirmed_page: list[tuple[Media, bytes]], keys: StaticKeyProvider
) -> None:
    (old, old_bytes), (middle, middle_bytes), (young, young_bytes) = on_confirmed_page
    store_review_media(old, old_bytes, actor=CRAWLER, keys=keys, now=T0)
    store_review_media(middle, middle_bytes, actor=CRAWLER, keys=keys, now=T0 + timedelta(days=5))
    store_review_media(young, young_bytes, actor=CRAWLER, keys=keys, now=T0 + timedelta(days=10))
    assert purge_expired(T0 + timedelta(days=29)) == 0
    assert events(AuditAction.REVIEW_PURGE) == []  # nothing deleted, nothing to record
    assert purge_expired(T0 + timedelta(days=35)) == 2  # expiry is inclusive
    assert list(ReviewMedia.objects.values_list("media", flat=True)) == [young.pk]
    assert Media.objects.count() == 4  # the hashes and sightings stay; only bytes go
    [purge] = events(AuditAction.REVIEW_PURGE)
    assert (purge.actor_kind, purge.actor) == ("system", "review-retention")
    assert purge.details == {
        "count": 2,
        "expired_by": (T0 + timedelta(days=35)).isoformat(),
    }
    assert purge_expired(T0 + timedelta(days=35)) == 0
    assert len(events(AuditAction.REVIEW_PURGE)) == 1


def test_purge_with_no_time_uses_now(
    on_confirmed_page: list[tuple[Media, bytes]], keys: StaticKeyProvider
) -> None:
    media, data = on_confirmed_page[0]
    store_review_media(media, data, actor=CRAWLER, keys=keys, now=T0)  # long expired by now
    operator = Actor.user("operator-1")
    assert purge_expired(actor=operator) == 1
    assert events(AuditAction.REVIEW_PURGE)[0].actor == "operator-1"


def test_a_purged_copy_may_be_stored_again(
    on_confirmed_page: list[tuple[Media, bytes]], keys: StaticKeyProvider
) -> None:
    media, data = on_confirmed_page[0]
    store_review_media(media, data, actor=CRAWLER, keys=keys, now=T0)
    purge_expired(T0 + timedelta(days=31))
    again = store_review_media(media, data, actor=CRAWLER, keys=keys, now=T0 + timedelta(days=40))
    assert again.expires_at == T0 + timedelta(days=70)


def test_the_retention_period_comes_from_the_setting(
    monkeypatch: pytest.MonkeyPatch,
    on_confirmed_page: list[tuple[Media, bytes]],
    keys: StaticKeyProvider,
) -> None:
    monkeypatch.delenv("SENTINELLE_REVIEW_RETENTION_DAYS", raising=False)
    assert retention_period() == timedelta(days=30)
    monkeypatch.setenv("SENTINELLE_REVIEW_RETENTION_DAYS", "7")
    media, data = on_confirmed_page[0]
    stored = store_review_media(media, data, actor=CRAWLER, keys=keys, now=T0)
    assert stored.expires_at == T0 + timedelta(days=7)
    monkeypatch.setenv("SENTINELLE_REVIEW_RETENTION_DAYS", "0")
    with pytest.raises(ConfigurationError):
        retention_period()
