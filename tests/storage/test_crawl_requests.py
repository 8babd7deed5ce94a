"""Taking crawl requests in: de-duplication, priority raises, validation, cancelling, audit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from storage_support import T0, events

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor
from sentinelle.crawl.exceptions import (
    InvalidRequest,
    InvalidTransition,
    UnknownCrawlRequest,
    UnsupportedScheme,
)
from sentinelle.crawl.models import CrawlRequest, Source, Status
from sentinelle.crawl.queue import claim, finish
from sentinelle.crawl.services import cancel, request_crawl

pytestmark = pytest.mark.django_db

URL = "https://Example.com:443/gallery?page=2#top"
NORMALIZED = "https://example.com/gallery?page=2"


def test_a_new_request_is_queued_normalized_and_audited(operator: Actor) -> None:
    request, created = request_crawl(URL, source=Source.OPERATOR, priority=3, actor=operator)
    assert created
    request.refresh_from_db()
    assert request.url == NORMALIZED
    assert len(request.url_key) == 64
    assert (request.source, request.priority, request.status) == ("operator", 3, "queued")
    assert request.attempts == 0
    assert request.requested_by == "user:operator-1"
    assert request.not_before <= request.created + timedelta(seconds=1)
    [event] = events(AuditAction.CRAWL_REQUEST)
    assert (event.actor_kind, event.actor) == ("user", "operator-1")
    assert (event.target_type, event.target_id) == ("crawl_request", str(request.pk))
    assert event.before is None
    assert event.after["url"] == NORMALIZED
    assert event.after["priority"] == 3
    assert event.after["status"] == "queued"
    assert event.after["source"] == "operator"


def test_the_same_url_again_returns_the_open_request(operator: Actor) -> None:
    first, created_first = request_crawl(URL, source="operator", actor=operator)
    again, created_again = request_crawl(
        "HTTPS://EXAMPLE.COM/gallery?page=2", source="report", actor=Actor.system("tipline")
    )
    assert created_first and not created_again
    assert again.pk == first.pk
    assert again.source == "operator"  # the open request is returned as it is
    assert CrawlRequest.objects.count() == 1
    assert len(events(AuditAction.CRAWL_REQUEST)) == 1
    assert events(AuditAction.CRAWL_UPDATE) == []


def test_a_more_urgent_duplicate_raises_the_priority_audited(operator: Actor) -> None:
    first, _ = request_crawl(URL, source="operator", priority=1, actor=operator)
    partner = Actor.partner("hotline-b")
    raised, created = request_crawl(URL, source="partner", priority=7, actor=partner)
    assert not created and raised.pk == first.pk
    first.refresh_from_db()
    assert first.priority == 7
    [event] = events(AuditAction.CRAWL_UPDATE, first.pk)
    assert (event.actor_kind, event.actor) == ("partner", "hotline-b")
    assert event.before == {"priority": 1}
    assert event.after == {"priority": 7}


def test_a_less_urgent_duplicate_changes_nothing(operator: Actor) -> None:
    first, _ = request_crawl(URL, source="operator", priority=5, actor=operator)
    same, created = request_crawl(URL, source="recheck", priority=2, actor=operator)
    assert not created and same.priority == 5
    first.refresh_from_db()
    assert first.priority == 5
    assert events(AuditAction.CRAWL_UPDATE) == []


def test_a_request_due_now_brings_a_scheduled_one_forward(operator: Actor) -> None:
    tomorrow = T0 + timedelta(days=1)
    recheck, _ = request_crawl(
        URL, source="recheck", actor=Actor.system("rechecker"), not_before=tomorrow
    )
    tipline = Actor.system("tipline")
    same, created = request_crawl(URL, source="report", actor=tipline, not_before=T0)
    assert not created and same.pk == recheck.pk and same.not_before == T0
    [event] = events(AuditAction.CRAWL_UPDATE, recheck.pk)
    assert event.actor == "tipline"
    assert event.before == {"not_before": tomorrow.isoformat()}
    assert event.after == {"not_before": T0.isoformat()}
    _, created = request_crawl(URL, source="recheck", actor=tipline, not_before=tomorrow)
    assert not created
    recheck.refresh_from_db()
    assert recheck.not_before == T0  # a later due time never delays it
    assert len(events(AuditAction.CRAWL_UPDATE)) == 1


def test_a_running_request_also_blocks_a_duplicate(operator: Actor, worker: Actor) -> None:
    first, _ = request_crawl(URL, source="operator", actor=operator)
    claim(1, actor=worker)
    again, created = request_crawl(URL, source="report", actor=operator)
    assert not created and again.pk == first.pk and again.status == "running"


def test_a_closed_request_does_not_block_a_new_one(operator: Actor, worker: Actor) -> None:
    first, _ = request_crawl(URL, source="operator", actor=operator)
    claim(1, actor=worker)
    finish(first, actor=worker)
    second, created = request_crawl(URL, source="recheck", actor=operator)
    assert created and second.pk != first.pk
    cancel(second, actor=operator)
    third, created = request_crawl(URL, source="report", actor=operator)
    assert created
    statuses = sorted(CrawlRequest.objects.values_list("status", flat=True))
    assert statuses == ["cancelled", "done", "queued"]
    assert third.url_key == first.url_key


def test_the_database_refuses_a_second_open_request(operator: Actor) -> None:
    first, _ = request_crawl(URL, source="operator", actor=operator)
    duplicate = CrawlRequest(
        url=first.url, url_key=first.url_key, source="operator", requested_by="test"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    duplicate.status = Status.DONE  # closed rows may repeat the URL
    duplicate.save()
    assert CrawlRequest.objects.filter(url_key=first.url_key).count() == 2


def test_the_database_refuses_an_unknown_status(operator: Actor) -> None:
    request, _ = request_crawl(URL, source="operator", actor=operator)
    with pytest.raises(IntegrityError), transaction.atomic():
        CrawlRequest.objects.filter(pk=request.pk).update(status="lost")


def test_not_before_delays_a_request(operator: Actor) -> None:
    later = T0 + timedelta(days=1)
    request, _ = request_crawl(URL, source="recheck", actor=operator, not_before=later)
    assert request.not_before == later


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"source": "crawler"}, "unknown request source"),
        ({"source": "operator", "priority": "high"}, "whole number"),
        ({"source": "operator", "priority": 1.5}, "whole number"),
        ({"source": "operator", "priority": True}, "whole number"),
        ({"source": "operator", "priority": 2**31}, "outside"),
        ({"source": "operator", "not_before": datetime(2026, 1, 1)}, "aware"),
    ],
)
def test_invalid_requests_are_refused(
    operator: Actor, arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidRequest, match=message):
        request_crawl(URL, actor=operator, **arguments)  # type: ignore[arg-type]
    assert CrawlRequest.objects.count() == 0
    assert events(AuditAction.CRAWL_REQUEST) == []


def test_only_http_and_https_are_crawled(operator: Actor) -> None:
    with pytest.raises(UnsupportedScheme):
        request_crawl("ftp://example.com/x", source="operator", actor=operator)
    assert CrawlRequest.objects.count() == 0


def test_cancel_is_audited_with_the_reason(operator: Actor) -> None:
    request, _ = request_crawl(URL, source="operator", actor=operator)
    cancelled = cancel(request.pk, actor=operator, reason="duplicate of a report")
    assert cancelled.status == "cancelled"
    [event] = events(AuditAction.CRAWL_UPDATE, request.pk)
    assert event.before == {"status": "queued"}
    assert event.after == {"status": "cancelled"}
    assert event.details == {"reason": "duplicate of a report"}


def test_a_closed_request_cannot_be_cancelled(operator: Actor) -> None:
    request, _ = request_crawl(URL, source="operator", actor=operator)
    cancel(request, actor=operator)
    with pytest.raises(InvalidTransition, match="cancelled"):
        cancel(request, actor=operator)
    assert len(events(AuditAction.CRAWL_UPDATE)) == 1


def test_an_unknown_request_is_a_typed_error(operator: Actor) -> None:
    with pytest.raises(UnknownCrawlRequest):
        cancel(123456, actor=operator)
