"""The worker side: claim order, due times, finish, fail with back-off, stale claims."""

from __future__ import annotations

from datetime import timedelta

import pytest
from storage_support import T0, events

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor
from sentinelle.crawl.exceptions import InvalidRequest, InvalidTransition
from sentinelle.crawl.models import CrawlRequest
from sentinelle.crawl.queue import (
    BACKOFF_CAP,
    MAX_ATTEMPTS,
    backoff,
    claim,
    fail,
    finish,
    release_stale,
)
from sentinelle.crawl.services import cancel, request_crawl

pytestmark = pytest.mark.django_db


def queued(
    name: str, operator: Actor, *, priority: int = 0, age: int = 0, due: int = 0
) -> CrawlRequest:
    """A request for ``name`` created ``age`` minutes before T0, due ``due`` minutes after."""
    request, _ = request_crawl(
        f"https://example.com/{name}",
        source="operator",
        priority=priority,
        actor=operator,
        not_before=T0 + timedelta(minutes=due),
    )
    CrawlRequest.objects.filter(pk=request.pk).update(created=T0 - timedelta(minutes=age))
    return request


def test_claim_takes_priority_first_then_the_oldest(operator: Actor, worker: Actor) -> None:
    queued("low-old", operator, priority=0, age=50)
    queued("high-new", operator, priority=9, age=1)
    queued("mid-old", operator, priority=5, age=30)
    queued("mid-new", operator, priority=5, age=10)
    queued("negative", operator, priority=-3, age=90)
    taken = claim(3, actor=worker, now=T0)
    assert [r.url.rsplit("/", 1)[1] for r in taken] == ["high-new", "mid-old", "mid-new"]
    rest = claim(10, actor=worker, now=T0)
    assert [r.url.rsplit("/", 1)[1] for r in rest] == ["low-old", "negative"]
    assert claim(10, actor=worker, now=T0) == []


def test_claim_marks_running_and_audits(operator: Actor, worker: Actor) -> None:
    request = queued("a", operator)
    [taken] = claim(5, actor=worker, now=T0)
    assert taken.pk == request.pk
    taken.refresh_from_db()
    assert (taken.status, taken.attempts) == ("running", 1)
    assert (taken.claimed_by, taken.claimed_at) == ("crawler-1", T0)
    [event] = events(AuditAction.CRAWL_UPDATE, request.pk)
    assert (event.actor_kind, event.actor) == ("system", "crawler-1")
    assert event.before == {"status": "queued", "attempts": 0, "claimed_by": "", "claimed_at": None}
    assert event.after["status"] == "running"
    assert event.after["attempts"] == 1


def test_claim_skips_requests_not_yet_due(operator: Actor, worker: Actor) -> None:
    queued("later", operator, priority=10, due=60)
    queued("now", operator, priority=0)
    assert [r.url for r in claim(5, actor=worker, now=T0)] == ["https://example.com/now"]
    assert [r.url for r in claim(5, actor=worker, now=T0 + timedelta(minutes=61))] == [
        "https://example.com/later"
    ]


@pytest.mark.parametrize("count", [0, -1, 1.5, True])
def test_claim_needs_a_positive_count(worker: Actor, count: object) -> None:
    with pytest.raises(InvalidRequest):
        claim(count, actor=worker)  # type: ignore[arg-type]


def test_finish_closes_a_running_request(operator: Actor, worker: Actor) -> None:
    request = queued("a", operator)
    claim(1, actor=worker, now=T0)
    done = finish(request, actor=worker)
    assert done.status == "done"
    last = events(AuditAction.CRAWL_UPDATE, request.pk)[-1]
    assert (last.before, last.after) == ({"status": "running"}, {"status": "done"})


def test_only_a_running_request_can_finish_or_fail(operator: Actor, worker: Actor) -> None:
    request = queued("a", operator)
    with pytest.raises(InvalidTransition, match="queued"):
        finish(request, actor=worker)
    with pytest.raises(InvalidTransition):
        fail(request, "boom", actor=worker)
    claim(1, actor=worker, now=T0)
    cancel(request, actor=operator)  # an operator stops it while a worker holds it
    with pytest.raises(InvalidTransition, match="cancelled"):
        finish(request, actor=worker)


def test_fail_requeues_with_backoff_until_the_last_attempt(operator: Actor, worker: Actor) -> None:
    request = queued("flaky", operator)
    moment = T0
    for attempt in range(1, MAX_ATTEMPTS):
        [taken] = claim(1, actor=worker, now=moment)
        assert taken.attempts == attempt
        again = fail(taken, f"timeout {attempt}", actor=worker, now=moment)
        assert again.status == "queued"
        assert again.not_before == moment + backoff(attempt)
        assert again.last_error == f"timeout {attempt}"
        assert claim(1, actor=worker, now=moment) == []  # not due yet
        moment = again.not_before
    [taken] = claim(1, actor=worker, now=moment)
    given_up = fail(taken, "timeout again", actor=worker, now=moment)
    assert (given_up.status, given_up.attempts) == ("failed", MAX_ATTEMPTS)
    last = events(AuditAction.CRAWL_UPDATE, request.pk)[-1]
    assert last.before == {"status": "running", "last_error": f"timeout {MAX_ATTEMPTS - 1}"}
    assert last.after == {"status": "failed", "last_error": "timeout again"}


def test_fail_without_retry_gives_up_at_once(operator: Actor, worker: Actor) -> None:
    request = queued("gone", operator)
    claim(1, actor=worker, now=T0)
    failed = fail(request.pk, "x" * 5000, actor=worker, retry=False)
    assert failed.status == "failed"
    assert len(failed.last_error) == 2000


def test_backoff_doubles_up_to_the_cap() -> None:
    assert backoff(1) == timedelta(minutes=1)
    assert backoff(2) == timedelta(minutes=2)
    assert backoff(4) == timedelta(minutes=8)
    assert backoff(50) == BACKOFF_CAP
    assert backoff(10**6) == BACKOFF_CAP


def test_release_stale_requeues_abandoned_claims(operator: Actor, worker: Actor) -> None:
    old = queued("old", operator, priority=1)
    fresh = queued("fresh", operator)
    claim(1, actor=worker, now=T0)
    claim(1, actor=worker, now=T0 + timedelta(minutes=50))
    reaper = Actor.system("frontier-janitor")
    now = T0 + timedelta(hours=1)
    released = release_stale(older_than=timedelta(minutes=30), actor=reaper, now=now)
    assert [r.pk for r in released] == [old.pk]
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, old.not_before, fresh.status) == ("queued", now, "running")
    last = events(AuditAction.CRAWL_UPDATE, old.pk)[-1]
    assert last.actor == "frontier-janitor"
    assert last.details == {"reason": "stale claim", "claimed_by": "crawler-1"}
    assert [r.pk for r in claim(5, actor=worker, now=now)] == [old.pk]
