"""Recording sightings: content addressing, idempotence, matches and their history, pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from storage_support import T0, picture

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.banks.models import KnownHash, StoredList
from sentinelle.crawl.exceptions import InvalidUrl
from sentinelle.crawl.services import request_crawl
from sentinelle.hashing import PdqPath, hash_media
from sentinelle.sightings.exceptions import InvalidObservation
from sentinelle.sightings.models import Host, Match, Media, Page, Sighting
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_page, record_sighting, sighting_key

pytestmark = pytest.mark.django_db

PAGE = "https://gallery.example/albums/7"
MEDIA_URL = "https://cdn.example/i/abc.jpg"


def seen(seed: int = 2, **changes: object) -> SeenMedia:
    return replace(SeenMedia.from_bytes(picture(seed)), **changes)  # type: ignore[arg-type]


def matches_for(stored: StoredList, *, confirmed: bool = True) -> list[FoundMatch]:
    return [
        FoundMatch.from_known(known, distance=0, confirmed_reference=confirmed)
        for known in stored.hashes.order_by("signal_type")
    ]


def test_same_bytes_at_two_urls_are_one_media(known_bytes: bytes) -> None:
    media = SeenMedia.from_bytes(known_bytes)
    first, _ = record_sighting(media, url=MEDIA_URL, page_url=PAGE, seen_at=T0)
    second, _ = record_sighting(
        SeenMedia.from_bytes(bytes(known_bytes)),
        url="https://mirror.example/copy.jpg",
        page_url="https://forum.example/t/1",
        seen_at=T0 + timedelta(minutes=5),
    )
    assert Media.objects.count() == 1
    assert first.media_id == second.media_id
    assert Sighting.objects.count() == 2
    stored = Media.objects.get()
    assert stored.sha256 == media.sha256 and stored.first_seen == T0


def test_media_row_holds_every_hash_and_the_pdq_path(known_bytes: bytes) -> None:
    record_sighting(SeenMedia.from_bytes(known_bytes), url=MEDIA_URL, seen_at=T0)
    hashes = hash_media(known_bytes)
    assert hashes.digests is not None and hashes.pdq is not None
    stored = Media.objects.get()
    assert (stored.md5, stored.sha1, stored.sha256) == (
        hashes.digests.md5,
        hashes.digests.sha1,
        hashes.digests.sha256,
    )
    assert (stored.pdq, stored.pdq_quality, stored.pdq_path) == (
        hashes.pdq.hash,
        hashes.pdq.quality,
        "reference",
    )
    assert (stored.size, stored.mime, stored.width, stored.height) == (
        len(known_bytes),
        "image/jpeg",
        160,
        120,
    )


def test_recording_the_same_sighting_twice_stores_it_once(
    known_list: StoredList, known_bytes: bytes
) -> None:
    arguments = {
        "url": MEDIA_URL,
        "page_url": PAGE,
        "seen_at": T0,
        "ip": "192.0.2.10",
        "http_status": 200,
        "matches": matches_for(known_list),
    }
    media = SeenMedia.from_bytes(known_bytes)
    first, created = record_sighting(media, **arguments)  # type: ignore[arg-type]
    again, created_again = record_sighting(media, **arguments)  # type: ignore[arg-type]
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Sighting.objects.count() == 1
    assert Match.objects.count() == 2
    assert (Media.objects.count(), Page.objects.count(), Host.objects.count()) == (1, 1, 2)


def test_a_crawl_run_names_the_sighting_whatever_the_time(operator: Actor) -> None:
    request, _ = request_crawl(PAGE, source="operator", actor=operator)
    media = seen()
    run = f"{request.pk}:1"
    first, _ = record_sighting(
        media, url=MEDIA_URL, page_url=PAGE, seen_at=T0, run=run, crawl_request=request
    )
    resumed, created = record_sighting(
        media, url=MEDIA_URL, page_url=PAGE, seen_at=T0 + timedelta(minutes=3), run=run
    )
    assert not created and resumed.pk == first.pk and resumed.seen_at == T0
    assert first.crawl_request_id == request.pk and first.run == run
    _, created_next_run = record_sighting(
        media, url=MEDIA_URL, page_url=PAGE, seen_at=T0 + timedelta(days=1), run=f"{request.pk}:2"
    )
    assert created_next_run
    assert Sighting.objects.count() == 2


def test_without_a_run_the_time_is_part_of_the_key() -> None:
    media = seen()
    record_sighting(media, url=MEDIA_URL, page_url=PAGE, seen_at=T0)
    _, created = record_sighting(media, url=MEDIA_URL, page_url=PAGE, seen_at=T0)
    assert not created
    _, created_later = record_sighting(
        media, url=MEDIA_URL, page_url=PAGE, seen_at=T0 + timedelta(microseconds=1)
    )
    assert created_later


def test_the_key_tells_pages_urls_and_media_apart() -> None:
    media = seen()
    record_sighting(media, url=MEDIA_URL, page_url=PAGE, seen_at=T0)
    assert record_sighting(media, url=MEDIA_URL, seen_at=T0)[1]  # no page
    assert record_sighting(media, url=MEDIA_URL, page_url=PAGE + "/x", seen_at=T0)[1]
    assert record_sighting(media, url=MEDIA_URL + "?v=2", page_url=PAGE, seen_at=T0)[1]
    assert record_sighting(seen(3), url=MEDIA_URL, page_url=PAGE, seen_at=T0)[1]
    assert Sighting.objects.count() == 5
    assert Sighting.objects.filter(page__isnull=True).count() == 1


def test_sighting_key_is_stable() -> None:
    assert sighting_key("a" * 64, "b" * 64, None, "run") == sighting_key(
        "a" * 64, "b" * 64, "", "run"
    )
    assert sighting_key("a" * 64, "b" * 64, None, "run") != sighting_key(
        "a" * 64, "b" * 64, None, "run2"
    )


def test_equivalent_urls_are_one_page_and_one_host() -> None:
    record_sighting(seen(2), url=MEDIA_URL, page_url=PAGE, seen_at=T0)
    record_sighting(
        seen(3), url=MEDIA_URL, page_url="HTTPS://Gallery.Example:443/albums/7#photo", seen_at=T0
    )
    page = Page.objects.get()
    assert page.url == PAGE and page.host.name == "gallery.example"
    assert Host.objects.filter(name="gallery.example").count() == 1
    sighting = Sighting.objects.first()
    assert sighting is not None and sighting.url == MEDIA_URL


def test_matches_copy_the_listed_hash_and_confirm_the_page(
    known_list: StoredList, known_bytes: bytes
) -> None:
    sighting, _ = record_sighting(
        SeenMedia.from_bytes(known_bytes),
        url=MEDIA_URL,
        page_url=PAGE,
        seen_at=T0,
        matches=matches_for(known_list),
    )
    rows = {m.signal_type: m for m in sighting.matches.all()}
    assert set(rows) == {"pdq", "sha256"}
    assert rows["sha256"].list_name == "benign-test-list"
    assert rows["sha256"].category == "csam"  # the list's category when the hash has none
    assert rows["sha256"].hash == sighting.media.sha256
    assert rows["pdq"].known_hash is not None and rows["pdq"].confirmed_reference
    page = Page.objects.get()
    assert page.confirmed and page.confirmed_at == T0


def test_unconfirmed_matches_do_not_confirm_the_page(
    known_list: StoredList, known_bytes: bytes
) -> None:
    record_sighting(
        SeenMedia.from_bytes(known_bytes),
        url=MEDIA_URL,
        page_url=PAGE,
        seen_at=T0,
        matches=matches_for(known_list, confirmed=False),
    )
    assert Match.objects.count() == 2
    assert not Page.objects.get().confirmed


def test_match_history_survives_the_listed_hash_being_removed(
    known_list: StoredList, known_bytes: bytes
) -> None:
    record_sighting(
        SeenMedia.from_bytes(known_bytes),
        url=MEDIA_URL,
        page_url=PAGE,
        seen_at=T0,
        matches=matches_for(known_list),
    )
    expected = sorted(Match.objects.values_list("list_name", "signal_type", "hash", "category"))
    KnownHash.objects.filter(list=known_list).delete()
    known_list.delete()
    kept = sorted(Match.objects.values_list("list_name", "signal_type", "hash", "category"))
    assert kept == expected and len(kept) == 2
    assert Match.objects.filter(known_hash__isnull=True).count() == 2


def test_matches_without_a_link_are_linked_by_list_and_hash(
    known_list: StoredList, known_bytes: bytes
) -> None:
    media = SeenMedia.from_bytes(known_bytes)
    found = FoundMatch("benign-test-list", "sha256", media.sha256.upper(), 0, True)
    gone = FoundMatch("retired-list", "md5", media.md5, 0, True, category="csam")
    sighting, _ = record_sighting(media, url=MEDIA_URL, seen_at=T0, matches=[found, gone])
    linked = sighting.matches.get(list_name="benign-test-list")
    assert linked.known_hash == known_list.hashes.get(signal_type="sha256")
    assert linked.signal_type == "sha256" and linked.hash == media.sha256
    assert sighting.matches.get(list_name="retired-list").known_hash is None


def test_a_hash_matched_twice_is_one_match_the_best(
    known_list: StoredList, known_bytes: bytes
) -> None:
    pdq = known_list.hashes.get(signal_type="pdq")
    candidates = [
        FoundMatch.from_known(pdq, distance=12, confirmed_reference=False),
        FoundMatch.from_known(pdq, distance=20, confirmed_reference=True, transform="flipx"),
        FoundMatch.from_known(pdq, distance=4, confirmed_reference=True, transform="rotate90"),
    ]
    sighting, _ = record_sighting(
        SeenMedia.from_bytes(known_bytes), url=MEDIA_URL, seen_at=T0, matches=candidates
    )
    [match] = sighting.matches.all()
    assert (match.distance, match.transform, match.confirmed_reference) == (4, "rotate90", True)


def test_a_reference_pdq_replaces_a_fast_one_never_the_reverse() -> None:
    data = picture(4)
    fast = SeenMedia.from_bytes(data, fast=True)
    assert fast.pdq is not None and fast.pdq.path == PdqPath.FAST
    record_sighting(fast, url=MEDIA_URL, seen_at=T0)
    assert Media.objects.get().pdq_path == "fast"
    reference = SeenMedia.from_bytes(data)
    record_sighting(reference, url=MEDIA_URL, seen_at=T0 + timedelta(seconds=1))
    stored = Media.objects.get()
    assert reference.pdq is not None
    assert (stored.pdq, stored.pdq_path) == (reference.pdq.hash, "reference")
    record_sighting(fast, url=MEDIA_URL, seen_at=T0 + timedelta(seconds=2))
    assert Media.objects.get().pdq_path == "reference"


def test_out_of_order_visits_keep_first_and_last_seen() -> None:
    record_sighting(seen(), url=MEDIA_URL, page_url=PAGE, page_status=200, seen_at=T0)
    record_sighting(
        seen(3), url=MEDIA_URL, page_url=PAGE, page_status=404, seen_at=T0 - timedelta(hours=1)
    )
    page = Page.objects.get()
    assert page.first_seen == T0 - timedelta(hours=1)
    assert (page.last_seen, page.last_status) == (T0, 200)  # the earlier visit is older news
    assert Host.objects.get(name="gallery.example").first_seen == T0 - timedelta(hours=1)
    later = record_page(PAGE, seen_at=T0 + timedelta(hours=1), status=410)
    assert (later.last_seen, later.last_status) == (T0 + timedelta(hours=1), 410)


def test_a_file_that_is_not_an_image_is_recorded_without_pdq() -> None:
    data = b"just some benign text, not a picture\n"
    media = SeenMedia.from_bytes(data)
    assert (media.mime, media.pdq, media.problem) == ("text/plain", None, "unsupported")
    assert (media.width, media.height) == (None, None)
    record_sighting(media, url="https://example.com/notes.txt", seen_at=T0, http_status=200)
    stored = Media.objects.get()
    assert (stored.pdq, stored.pdq_quality, stored.pdq_path) == ("", None, "")
    assert stored.problem == "unsupported"


def test_hashes_given_for_other_bytes_are_refused(known_bytes: bytes) -> None:
    with pytest.raises(InvalidObservation):
        SeenMedia.from_bytes(known_bytes + b"x", hash_media(known_bytes))


def test_recording_writes_no_audit_event(known_list: StoredList, known_bytes: bytes) -> None:
    before = AuditEvent.objects.count()
    record_sighting(
        SeenMedia.from_bytes(known_bytes),
        url=MEDIA_URL,
        page_url=PAGE,
        seen_at=T0,
        matches=matches_for(known_list),
    )
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("media_changes", "arguments", "message"),
    [
        ({"sha256": "xyz"}, {}, "sha256"),
        ({"md5": "0" * 31}, {}, "md5"),
        ({"size": -1}, {}, "size"),
        ({"mime": ""}, {}, "mime"),
        ({"width": 0}, {}, "width"),
        ({}, {"ip": "999.1.1.1"}, "IP address"),
        ({}, {"http_status": 700}, "HTTP status"),
        ({}, {"page_status": 0}, "HTTP status"),
        ({}, {"seen_at": T0.replace(tzinfo=None)}, "aware"),
        ({}, {"run": "r" * 201}, "run"),
        ({}, {"matches": [FoundMatch("l", "sha512", "0" * 128, 0, True)]}, "signal type"),
        ({}, {"matches": [FoundMatch("l", "pdq", "0" * 64, 300, True)]}, "distance"),
        ({}, {"matches": [FoundMatch("", "pdq", "0" * 64, 3, True)]}, "list name"),
    ],
)
def test_invalid_observations_are_refused(
    media_changes: dict[str, object], arguments: dict[str, object], message: str
) -> None:
    call: dict[str, object] = {"url": MEDIA_URL, "page_url": PAGE, "seen_at": T0} | arguments
    with pytest.raises(InvalidObservation, match=message):
        record_sighting(seen(**media_changes), **call)  # type: ignore[arg-type]
    assert (Sighting.objects.count(), Media.objects.count(), Page.objects.count()) == (0, 0, 0)


def test_a_bad_url_is_the_crawl_error() -> None:
    with pytest.raises(InvalidUrl):
        record_sighting(seen(), url="ftp://example.com/a.jpg", seen_at=T0)
    with pytest.raises(InvalidUrl):
        record_sighting(seen(), url=MEDIA_URL, page_url="not a url", seen_at=T0)


def test_the_media_urls_host_is_recorded_for_attribution() -> None:
    sighting, _ = record_sighting(seen(), url=MEDIA_URL, page_url=PAGE, seen_at=T0)
    assert sighting.host.name == "cdn.example"
    assert sighting.page is not None and sighting.page.host.name == "gallery.example"
    assert sorted(Host.objects.values_list("name", flat=True)) == ["cdn.example", "gallery.example"]


def test_addresses_are_stored_in_canonical_form() -> None:
    sighting, _ = record_sighting(seen(), url=MEDIA_URL, seen_at=T0, ip="2001:DB8:0:0::1")
    sighting.refresh_from_db()
    assert sighting.ip == "2001:db8::1"
