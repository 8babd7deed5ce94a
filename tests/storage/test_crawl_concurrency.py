"""Two transactions at once on PostgreSQL: de-duplication under a race, SKIP LOCKED claims.

Each competitor runs on its own thread, hence its own connection. What a competitor commits
is a bare row (no audit event: the audit log is append-only, so a test must not commit to
it); the work under test runs in a transaction rolled back on purpose after its result is
taken, and the bare rows are deleted at the end.

SQLite has no such race: its writers are serialised (``BEGIN IMMEDIATE``), and its shared
in-memory test database cannot even run two writers at once; these tests skip there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.db import connection, transaction
from storage_support import Rollback, in_thread, on_postgresql

from sentinelle.audit.services import Actor
from sentinelle.crawl.models import CrawlRequest, Status
from sentinelle.crawl.normalize import normalize_url
from sentinelle.crawl.queue import claim
from sentinelle.crawl.services import request_crawl

T = TypeVar("T")

pytestmark = pytest.mark.django_db

URL = "https://example.com/raced"
WAIT = 15.0


@pytest.fixture(autouse=True)
def postgresql_only() -> None:
    if not on_postgresql():
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so these races cannot occur")


@pytest.fixture
def committed() -> Iterator[list[int]]:
    """Ids of bare rows committed by a test; deleted afterwards."""
    ids: list[int] = []
    yield ids
    in_thread(lambda: CrawlRequest.objects.filter(pk__in=ids).delete())


def bare_request(url: str, priority: int = 0, status: str = Status.QUEUED) -> CrawlRequest:
    """A request inserted the way another frontier process would, without an audit event."""
    normalized = normalize_url(url)
    row: CrawlRequest = CrawlRequest.objects.create(
        url=normalized.url,
        url_key=normalized.key,
        source="partner",
        priority=priority,
        status=status,
        requested_by="partner:other-process",
    )
    return row


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


def backend_pid() -> int:
    connection.ensure_connection()
    return int(connection.connection.info.backend_pid)


def wait_until_blocked(pid: int) -> None:
    """Return once the session ``pid`` is waiting for a lock."""
    deadline = time.monotonic() + WAIT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
            time.sleep(0.02)
    raise TimeoutError(f"session {pid} never waited for a lock")


def closing(work: Callable[[], T]) -> Callable[[], T]:
    def run() -> T:
        try:
            return work()
        finally:
            connection.close()

    return run


def test_a_request_racing_another_insert_returns_the_winner(
    operator: Actor, committed: list[int]
) -> None:
    loser_started = threading.Event()
    loser_pid: list[int] = []

    def winner() -> int:
        with transaction.atomic():
            row = bare_request(URL, priority=4)
            loser_started.set()
            assert _wait(lambda: bool(loser_pid))
            # The loser found no open request (ours is not committed) and now waits on the
            # unique index for our transaction to end: commit and let it fail over to ours.
            wait_until_blocked(loser_pid[0])
        return int(row.pk)

    def loser() -> tuple[int, bool, int]:
        assert loser_started.wait(WAIT)
        loser_pid.append(backend_pid())

        def work() -> tuple[int, bool, int]:
            request, created = request_crawl(URL, source="operator", priority=2, actor=operator)
            return int(request.pk), created, int(request.priority)

        return rolled_back(work)

    with ThreadPoolExecutor(2) as pool:
        won = pool.submit(closing(winner))
        lost = pool.submit(closing(loser))
        winner_id = won.result(WAIT * 2)
        committed.append(winner_id)
        loser_id, created, priority = lost.result(WAIT * 2)
    assert (loser_id, created, priority) == (winner_id, False, 4)
    key = normalize_url(URL).key
    assert in_thread(lambda: CrawlRequest.objects.filter(url_key=key).count()) == 1


def test_claims_skip_rows_another_worker_holds(worker: Actor, committed: list[int]) -> None:
    rows = in_thread(
        lambda: [bare_request(f"https://example.com/{n}", priority=10 - n) for n in range(4)]
    )
    committed.extend(row.pk for row in rows)
    holding = threading.Event()
    release = threading.Event()

    def other_worker() -> list[int]:
        with transaction.atomic():
            held = list(
                CrawlRequest.objects.select_for_update()
                .filter(pk__in=committed)
                .order_by("-priority")[:2]
                .values_list("pk", flat=True)
            )
            holding.set()
            assert release.wait(WAIT)
        return held

    def this_worker() -> list[int]:
        assert holding.wait(WAIT)
        try:
            return rolled_back(lambda: [r.pk for r in claim(2, actor=worker)])
        finally:
            release.set()

    with ThreadPoolExecutor(2) as pool:
        other = pool.submit(closing(other_worker))
        mine = pool.submit(closing(this_worker))
        claimed = mine.result(WAIT * 2)
        held = other.result(WAIT * 2)
    assert held == [rows[0].pk, rows[1].pk]
    assert claimed == [rows[2].pk, rows[3].pk]


def _wait(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False
