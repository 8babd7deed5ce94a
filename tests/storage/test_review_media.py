"""Review media: stored only when allowed, encrypted, read back through an audited view."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from storage_support import T0, events, picture

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor
from sentinelle.banks.models import StoredList
from sentinelle.review.exceptions import (
    ContentMismatch,
    DecryptionFailed,
    MediaIsKnown,
    PageNotConfirmed,
    ReviewError,
    ReviewKeyError,
    ReviewMediaExpired,
    ReviewMediaMissing,
    ReviewRefused,
    UnknownReviewKey,
)
from sentinelle.review.keys import StaticKeyProvider
from sentinelle.review.models import ReviewMedia
from sentinelle.review.services import read_review_media, store_review_media
from sentinelle.sightings.models import Media
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_sighting

pytestmark = pytest.mark.django_db

CONFIRMED_PAGE = "https://gallery.example/albums/7"
OTHER_PAGE = "https://blog.example/post/1"
NOW = T0 + timedelta(hours=1)


def sighted(data: bytes, page: str = CONFIRMED_PAGE, **arguments: object) -> Media:
    sighting, _ = record_sighting(
        SeenMedia.from_bytes(data),
        url=f"https://cdn.example/{len(data)}-{data[-8:].hex()}.img",
        page_url=page,
        seen_at=T0,
        **arguments,  # type: ignore[arg-type]
    )
    return sighting.media


@pytest.fixture
def confirmed_page(known_list: StoredList, known_bytes: bytes) -> Media:
    """The known picture on CONFIRMED_PAGE, matched and confirmed; returns its media."""
    matches = [
        FoundMatch.from_known(known, distance=0, confirmed_reference=True)
        for known in known_list.hashes.all()
    ]
    return sighted(known_bytes, matches=matches)


@pytest.fixture
def unknown_bytes() -> bytes:
    return picture(11, "PNG")


@pytest.fixture
def unknown(confirmed_page: Media, unknown_bytes: bytes) -> Media:
    """A picture no list holds, found on the confirmed page."""
    return sighted(unknown_bytes)


def test_round_trip(
    unknown: Media, unknown_bytes: bytes, keys: StaticKeyProvider, analyst: Actor
) -> None:
    stored = store_review_media(unknown, unknown_bytes, actor=Actor.system("crawler-1"), keys=keys)
    assert (stored.size, stored.mime, stored.key_id) == (
        len(unknown_bytes),
        "image/png",
        keys.current()[0],
    )
    assert read_review_media(unknown, actor=analyst, keys=keys) == unknown_bytes


def test_the_ciphertext_does_not_hold_the_plaintext(
    unknown: Media, unknown_bytes: bytes, keys: StaticKeyProvider
) -> None:
    store_review_media(unknown, unknown_bytes, actor=Actor.system("crawler-1"), keys=keys)
    ciphertext = bytes(ReviewMedia.objects.get().ciphertext)
    raw_token = base64.urlsafe_b64decode(ciphertext)  # a Fernet token is base64 text
    for stored in (ciphertext, raw_token):
        assert unknown_bytes not in stored
        for start in range(0, len(unknown_bytes) - 16, 16):
            assert unknown_bytes[start : start + 16] not in stored
    assert base64.b64encode(unknown_bytes)[:24] not in ciphertext
    assert base64.urlsafe_b64encode(unknown_bytes)[:24] not in ciphertext
    assert Fernet(keys.current()[1]).decrypt(ciphertext) == unknown_bytes


def test_store_and_view_are_audited(
    unknown: Media, unknown_bytes: bytes, keys: StaticKeyProvider, analyst: Actor
) -> None:
    stored = store_review_media(
        unknown, unknown_bytes, actor=Actor.system("crawler-1"), keys=keys, now=T0
    )
    assert stored.expires_at == T0 + timedelta(days=30)
    [store] = events(AuditAction.REVIEW_STORE, unknown.sha256)
    assert (store.actor_kind, store.actor, store.target_type) == ("system", "crawler-1", "media")
    assert store.after == {
        "key_id": keys.current()[0],
        "size": len(unknown_bytes),
        "expires_at": (T0 + timedelta(days=30)).isoformat(),
    }
    read_review_media(unknown, actor=analyst, keys=keys, now=NOW)
    read_review_media(unknown, actor=analyst, keys=keys, now=NOW)
    views = events(AuditAction.REVIEW_VIEW, unknown.sha256)
    assert [(v.actor_kind, v.actor) for v in views] == [("user", "analyst-1")] * 2
    assert views[0].details == {"key_id": keys.current()[0], "size": len(unknown_bytes)}


def test_storing_again_keeps_the_first_copy(
    unknown: Media, unknown_bytes: bytes, keys: StaticKeyProvider
) -> None:
    crawler = Actor.system("crawler-1")
    first = store_review_media(unknown, unknown_bytes, actor=crawler, keys=keys, now=T0)
    again = store_review_media(unknown, unknown_bytes, actor=crawler, keys=keys, now=NOW)
    assert again.pk == first.pk and again.expires_at == first.expires_at
    assert ReviewMedia.objects.count() == 1
    assert len(events(AuditAction.REVIEW_STORE)) == 1


def test_media_on_an_unconfirmed_page_is_refused(
    known_list: StoredList, unknown_bytes: bytes, keys: StaticKeyProvider
) -> None:
    media = sighted(unknown_bytes, page=OTHER_PAGE)
    with pytest.raises(PageNotConfirmed):
        store_review_media(media, unknown_bytes, actor=Actor.system("crawler-1"), keys=keys)
    assert ReviewMedia.objects.count() == 0
    assert events(AuditAction.REVIEW_STORE) == []


def test_media_seen_without_a_page_is_refused(
    unknown_bytes: bytes, keys: StaticKeyProvider
) -> None:
    sighting, _ = record_sighting(
        SeenMedia.from_bytes(unknown_bytes), url="https://cdn.example/direct.png", seen_at=T0
    )
    with pytest.raises(PageNotConfirmed):
        store_review_media(sighting.media, unknown_bytes, actor=Actor.system("c"), keys=keys)


def test_known_media_is_refused_even_on_a_confirmed_page(
    confirmed_page: Media, known_bytes: bytes, keys: StaticKeyProvider
) -> None:
    with pytest.raises(MediaIsKnown) as refused:
        store_review_media(confirmed_page, known_bytes, actor=Actor.system("c"), keys=keys)
    assert isinstance(refused.value, ReviewRefused)
    assert ReviewMedia.objects.count() == 0


def test_bytes_of_other_media_are_refused(unknown: Media, keys: StaticKeyProvider) -> None:
    with pytest.raises(ContentMismatch):
        store_review_media(unknown, picture(12), actor=Actor.system("c"), keys=keys)
    assert ReviewMedia.objects.count() == 0


def test_a_key_the_provider_does_not_hold_is_a_typed_error(
    unknown: Media, unknown_bytes: bytes, keys: StaticKeyProvider, analyst: Actor
) -> None:
    store_review_media(unknown, unknown_bytes, actor=Actor.system("c"), keys=keys)
    other = StaticKeyProvider([Fernet.generate_key()])
    with pytest.raises(UnknownReviewKey) as raised:
        read_review_media(unknown, actor=analyst, keys=other)
    assert isinstance(raised.value, ReviewKeyError)
    assert events(AuditAction.REVIEW_VIEW) == []


class WrongKey:
    """A provider that answers every id with a key that did not encrypt anything."""

    def __init__(self) -> None:
        self.key = Fernet.generate_key()

    def current(self) -> tuple[str, bytes]:
        return "0" * 16, self.key

    def get(self, key_id: str) -> bytes:
        return self.key


def test_a_wrong_key_fails_to_decrypt(
    unknown: Media, unknown_bytes: bytes, keys: StaticKeyProvider, analyst: Actor
) -> None:
    store_review_media(unknown, unknown_bytes, actor=Actor.system("c"), keys=keys)
    with pytest.raises(DecryptionFailed) as raised:
        read_review_media(unknown, actor=analyst, keys=WrongKey())
    assert isinstance(raised.value, ReviewError)
    assert events(AuditAction.REVIEW_VIEW) == []


def test_altered_ciphertext_fails_to_decrypt(
    unknown: Media, unknown_bytes: bytes, keys: StaticKeyProvider, analyst: Actor
) -> None:
    store_review_media(unknown, unknown_bytes, actor=Actor.system("c"), keys=keys)
    token = bytearray(ReviewMedia.objects.get().ciphertext)
    token[60] = ord("A") if token[60] != ord("A") else ord("B")
    ReviewMedia.objects.update(ciphertext=bytes(token))
    with pytest.raises(DecryptionFailed):
        read_review_media(unknown, actor=analyst, keys=keys)


def test_ciphertext_moved_to_other_media_is_detected(
    unknown: Media, confirmed_page: Media, keys: StaticKeyProvider, analyst: Actor
) -> None:
    other_bytes = picture(13)
    other = sighted(other_bytes)
    store_review_media(unknown, picture(11, "PNG"), actor=Actor.system("c"), keys=keys)
    store_review_media(other, other_bytes, actor=Actor.system("c"), keys=keys)
    swapped = ReviewMedia.objects.get(media=unknown).ciphertext
    ReviewMedia.objects.filter(media=other).update(ciphertext=swapped)
    with pytest.raises(DecryptionFailed, match="not those of media"):
        read_review_media(other, actor=analyst, keys=keys)


def test_rotated_keys_still_read_old_copies(
    unknown: Media, unknown_bytes: bytes, analyst: Actor
) -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    store_review_media(
        unknown, unknown_bytes, actor=Actor.system("c"), keys=StaticKeyProvider([old])
    )
    rotated = StaticKeyProvider([new, old])
    assert read_review_media(unknown, actor=analyst, keys=rotated) == unknown_bytes
    assert rotated.current()[1] != old


def test_nothing_kept_is_a_typed_error(unknown: Media, keys: StaticKeyProvider) -> None:
    with pytest.raises(ReviewMediaMissing):
        read_review_media(unknown, actor=Actor.user("a"), keys=keys)


def test_expired_bytes_are_not_shown_before_the_purge(
    unknown: Media, unknown_bytes: bytes, keys: StaticKeyProvider
) -> None:
    store_review_media(unknown, unknown_bytes, actor=Actor.system("c"), keys=keys, now=T0)
    with pytest.raises(ReviewMediaExpired):
        read_review_media(unknown, actor=Actor.user("a"), keys=keys, now=T0 + timedelta(days=30))
    assert events(AuditAction.REVIEW_VIEW) == []
