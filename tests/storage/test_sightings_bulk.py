"""Recording many sightings (and page visits) at once leaves what recording them one by one
leaves, with a handful of queries whatever the batch's size."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from storage_support import T0, Rollback, in_thread, on_postgresql, picture

from sentinelle.audit.services import Actor
from sentinelle.banks.models import StoredList
from sentinelle.crawl.services import request_crawl
from sentinelle.sightings.bulk import record_pages, record_sightings
from sentinelle.sightings.exceptions import InvalidObservation
from sentinelle.sightings.models import Host, Match, Media, Page, Sighting
from sentinelle.sightings.observations import FoundMatch, Observation, SeenMedia
from sentinelle.sightings.prepared import prepare_visit
from sentinelle.sightings.services import record_page, record_sighting

pytestmark = pytest.mark.django_db

T = TypeVar("T")
GALLERY = "https://gallery.example/albums/7"
FORUM = "https://forum.example/t/1"
CDN = "https://cdn.example/i/"
WAIT = 15.0


def rolled_back(work: Callable[[], T]) -> T:
    """``work``'s result, with everything it wrote undone."""
    result: list[T] = []
    try:
        with transaction.atomic():
            result.append(work())
            raise Rollback
    except Rollback:
        pass
    return result[0]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every recorded row, without ids (they differ between two runs)."""
    return {
        "hosts": _sorted(Host.objects.values_list("name", "first_seen")),
        "pages": _sorted(
            Page.objects.values_list(
                "url", "url_key", "host__name", "first_seen", "last_seen", "last_status",
                "confirmed", "confirmed_at",
            )
        ),
        "media": _sorted(
            Media.objects.values_list(
                "sha256", "md5", "sha1", "size", "mime", "width", "height", "pdq",
                "pdq_quality", "pdq_path", "problem", "first_seen",
            )
        ),
        "sightings": _sorted(
            Sighting.objects.values_list(
                "key", "media__sha256", "url", "url_key", "host__name", "page__url",
                "crawl_request_id", "run", "seen_at", "ip", "http_status",
            )
        ),
        "matches": _sorted(
            Match.objects.values_list(
                "sighting__key", "known_hash_id", "list_name", "signal_type", "hash", "category",
                "distance", "transform", "confirmed_reference",
            )
        ),
    }  # fmt: skip


def _sorted(rows: Any) -> list[tuple[Any, ...]]:
    return sorted(rows, key=repr)  # None sorts with anything


def one_by_one(observations: Sequence[Observation]) -> list[tuple[Sighting, bool]]:
    return [
        record_sighting(
            o.media, url=o.url, seen_at=o.seen_at, page_url=o.page_url, page_status=o.page_status,
            ip=o.ip, http_status=o.http_status, matches=o.matches, run=o.run,
            crawl_request=o.crawl_request,
        )
        for o in observations
    ]  # fmt: skip


def compare(before: Sequence[Observation], batch: Sequence[Observation]) -> list[bool]:
    """Record ``before`` one by one, then ``batch`` both ways; the two databases must agree."""

    def sequential() -> tuple[list[bool], dict[str, list[tuple[Any, ...]]]]:
        one_by_one(before)
        return [created for _, created in one_by_one(batch)], snapshot()

    def batched() -> tuple[list[bool], dict[str, list[tuple[Any, ...]]]]:
        one_by_one(before)
        answers = record_sightings(batch)
        assert all(isinstance(sighting.pk, int) for sighting, _ in answers)
        return [created for _, created in answers], snapshot()

    expected_created, expected = rolled_back(sequential)
    created, found = rolled_back(batched)
    for table in expected:
        assert found[table] == expected[table], table
    assert created == expected_created
    return created


def seen(seed: int, *, fast: bool = False) -> SeenMedia:
    return SeenMedia.from_bytes(picture(seed), fast=fast)


def test_a_batch_records_what_one_by_one_records(
    known_list: StoredList, known_bytes: bytes, operator: Actor
) -> None:
    request, _ = request_crawl(GALLERY, source="operator", actor=operator)
    known = SeenMedia.from_bytes(known_bytes)
    listed = [FoundMatch.from_known(h, distance=0, confirmed_reference=True) for h in known_list.hashes.all()]
    by_name = FoundMatch("benign-test-list", "sha256", known.sha256.upper(), 0, True)
    unconfirmed = FoundMatch("retired-list", "md5", known.md5, 3, False, category="csam")
    fast, reference = seen(4, fast=True), seen(4)
    before = [  # already recorded: pages and media exist, one sighting is recorded again
        Observation(seen(2), url=CDN + "a.jpg", seen_at=T0 + timedelta(hours=2), page_url=GALLERY,
                    page_status=200, run="r1"),
        Observation(fast, url=CDN + "f.jpg", seen_at=T0, page_url=FORUM, run="r1"),
    ]  # fmt: skip
    batch = [
        before[0],  # recorded before: nothing changes
        Observation(known, url=CDN + "k.jpg", seen_at=T0 + timedelta(minutes=1), page_url=GALLERY,
                    page_status=404, ip="2001:DB8::1", http_status=200, matches=tuple(listed),
                    run="r1", crawl_request=request),
        Observation(known, url=CDN + "k.jpg", seen_at=T0 - timedelta(minutes=5), page_url=FORUM,
                    page_status=None, matches=(by_name, unconfirmed), run="r1"),
        Observation(known, url=CDN + "k.jpg", seen_at=T0 + timedelta(minutes=9), page_url=GALLERY,
                    page_status=500, matches=tuple(listed), run="r1"),  # the same key again
        Observation(reference, url=CDN + "f.jpg", seen_at=T0 + timedelta(seconds=1),
                    page_url=GALLERY, page_status=200, run="r2"),  # a reference PDQ wins
        Observation(seen(5, fast=True), url=CDN + "n.jpg", seen_at=T0 + timedelta(hours=3),
                    page_url="https://new.example/p", page_status=None, run="r1"),
        Observation(seen(5), url=CDN + "n2.jpg", seen_at=T0 - timedelta(hours=1),
                    page_url="https://new.example/p", page_status=301, run="r1"),
        Observation(seen(6), url="https://other.example/direct.png", seen_at=T0, run="r1"),
        Observation(replace(seen(7), width=None, height=None), url=CDN + "w.jpg", seen_at=T0,
                    page_url=FORUM, run="r1"),
        Observation(seen(7), url=CDN + "w2.jpg", seen_at=T0, page_url=FORUM, run="r1"),
    ]  # fmt: skip
    created = compare(before, batch)
    assert created == [False, True, True, False, True, True, True, True, True, True]


def test_a_batch_of_new_pages_and_hosts_matches_one_by_one() -> None:
    batch = [
        Observation(seen(seed), url=f"https://cdn-{seed % 3}.example/{seed}.jpg",
                    seen_at=T0 + timedelta(seconds=(seed * 7) % 5), page_url=f"{GALLERY}/{seed % 4}",
                    page_status=(200, None, 404)[seed % 3], run="r1")
        for seed in range(2, 14)
    ]  # fmt: skip
    assert compare([], batch) == [True] * len(batch)


def test_page_visits_in_one_batch_match_one_by_one() -> None:
    visits = [
        (GALLERY, T0, 200), (GALLERY, T0 - timedelta(hours=1), 404), (FORUM, T0, None),
        (GALLERY, T0 + timedelta(hours=1), None), (FORUM, T0 + timedelta(minutes=1), 500),
        ("HTTPS://Gallery.Example:443/albums/7#x", T0 + timedelta(hours=1), 410),
    ]  # fmt: skip

    def sequential() -> dict[str, list[tuple[Any, ...]]]:
        record_page(GALLERY, seen_at=T0 + timedelta(minutes=30), status=200)
        for url, when, status in visits:
            record_page(url, seen_at=when, status=status)
        return snapshot()

    def batched() -> dict[str, list[tuple[Any, ...]]]:
        record_page(GALLERY, seen_at=T0 + timedelta(minutes=30), status=200)
        record_pages([prepare_visit(url, seen_at=when, status=status) for url, when, status in visits])
        return snapshot()

    expected = rolled_back(sequential)
    assert expected["pages"][1][5] == 410  # the latest visit's status (gallery sorts second)
    assert rolled_back(batched) == expected


def test_a_bad_observation_refuses_the_whole_batch_and_writes_nothing() -> None:
    good = Observation(seen(2), url=CDN + "a.jpg", seen_at=T0, page_url=GALLERY, run="r1")
    bad = Observation(seen(3), url=CDN + "b.jpg", seen_at=T0, page_url=GALLERY, ip="999.1.1.1")
    with pytest.raises(InvalidObservation, match="IP address"):
        record_sightings([good, bad])
    assert (Sighting.objects.count(), Media.objects.count(), Page.objects.count()) == (0, 0, 0)
    assert Host.objects.count() == 0


def test_a_batch_costs_the_same_queries_whatever_its_size(known_list: StoredList) -> None:
    matched = FoundMatch("benign-test-list", "sha256", "0" * 64, 0, True)

    def batch(first: int, size: int) -> list[Observation]:
        return [
            Observation(seen(seed), url=f"{CDN}{seed}.jpg", seen_at=T0, page_url=f"{GALLERY}/{seed % 2}",
                        page_status=200, matches=(matched,), run="r1")
            for seed in range(first, first + size)
        ]  # fmt: skip

    record_sightings(batch(100, 2))  # the pages and hosts exist from here on
    counts = []
    for first, size in ((200, 3), (300, 40)):
        with CaptureQueriesContext(connection) as queries:
            answers = record_sightings(batch(first, size))
        assert [created for _, created in answers] == [True] * size
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] <= 20, counts
    assert Sighting.objects.count() == 45 and Match.objects.count() == 45


def test_a_batch_racing_another_writer_falls_back_to_one_by_one() -> None:
    """PostgreSQL: another transaction inserts the batch's host while the batch waits on the
    unique index; the batch's insert fails, and each observation is then recorded alone."""
    if not on_postgresql():
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so this race cannot occur")
    loser_pid: list[int] = []
    started = threading.Event()
    observed = Observation(seen(2), url="https://raced.example/a.jpg", seen_at=T0, run="r1")

    def winner() -> int:
        with transaction.atomic():
            host = Host.objects.create(name="raced.example", first_seen=T0 - timedelta(days=1))
            started.set()
            deadline = time.monotonic() + WAIT
            while not loser_pid and time.monotonic() < deadline:
                time.sleep(0.02)
            _wait_until_blocked(loser_pid[0])
        return int(host.pk)

    def loser() -> tuple[bool, int, list[str]]:
        assert started.wait(WAIT)
        connection.ensure_connection()
        loser_pid.append(int(connection.connection.info.backend_pid))

        def work() -> tuple[bool, int, list[str]]:
            [(sighting, created)] = record_sightings([observed])
            names = list(Host.objects.filter(name="raced.example").values_list("name", flat=True))
            return created, int(sighting.host_id), names

        return rolled_back(work)

    def closing(work: Callable[[], T]) -> Callable[[], T]:
        def run() -> T:
            try:
                return work()
            finally:
                connection.close()

        return run

    with ThreadPoolExecutor(2) as pool:
        won, lost = pool.submit(closing(winner)), pool.submit(closing(loser))
        host_id = won.result(WAIT * 2)
        try:
            created, sighting_host, names = lost.result(WAIT * 2)
        finally:
            in_thread(lambda: Host.objects.filter(pk=host_id).delete())
    assert (created, sighting_host, names) == (True, host_id, ["raced.example"])


def _wait_until_blocked(pid: int) -> None:
    deadline = time.monotonic() + WAIT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
            time.sleep(0.02)
    raise TimeoutError(f"session {pid} never waited for a lock")
