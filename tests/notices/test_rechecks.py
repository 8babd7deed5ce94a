"""Rechecks: noticed URLs are fetched again on schedule through the egress guard, against real
servers: the sandbox's takedowns (404 / 410), a server whose bytes the test changes, failures
that prove nothing, a host that leaves DNS, and rechecks asked for by a provider's claim."""

from __future__ import annotations

import base64
from datetime import timedelta
from ipaddress import IPv4Address
from typing import Any

import pytest
from notices_support import recipient
from rechecks_support import (
    START,
    SandboxWorld,
    content_server,
    item_for,
    notice_urls,
    picture_bytes,
    store_known_list,
)

from sentinelle import clock as clocks
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.banks.services import import_list
from sentinelle.crawl.normalize import normalize_url
from sentinelle.hashing import reference_pdq_of
from sentinelle.lists import HashList, ListEntry
from sentinelle.notices import wiring
from sentinelle.notices.exceptions import InvalidTransition, UnknownNoticeItem
from sentinelle.notices.models import Notice, NoticeEvent, NoticeItem
from sentinelle.notices.outbox import deliver
from sentinelle.notices.rechecks import recheck, request_recheck
from sentinelle.notices.scheduling import DueRechecks
from sentinelle.notices.services import add_items, request_send
from sentinelle.resolver import Address, Resolver, UnknownHost
from support.pictures import distance

pytestmark = pytest.mark.django_db

DAY = timedelta(hours=24)


@pytest.fixture
def quiet_ladder(monkeypatch: pytest.MonkeyPatch) -> None:
    """No reminders or escalation: these tests look at the rechecks alone."""
    monkeypatch.setenv("SENTINELLE_ESCALATE_AFTER", "0")
    monkeypatch.setenv("SENTINELLE_ESCALATION_POLICY", "")


def _events(item: NoticeItem) -> list[tuple[str, Any]]:
    return [(e.event, (e.details or {}).get("outcome")) for e in NoticeEvent.objects.filter(item=item).order_by("id")]


def test_urls_taken_down_are_closed_with_their_time_to_removal(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, run_worker: Any, quiet_ladder: None
) -> None:
    store_known_list(sandbox_env, name="known")
    gone_404, gone_410 = sandbox_env.provider(0), sandbox_env.provider(1)
    assert (gone_404["gone_status"], gone_410["gone_status"]) == (404, 410)
    taken, kept = sandbox_env.media_urls(gone_404)[:2]
    other = sandbox_env.media_urls(gone_410)[0]
    notices = notice_urls(sandbox_env, [taken, kept, other], now=clock.now())
    assert {n.sent_at for n in notices} == {START}
    assert set(NoticeItem.objects.values_list("next_check_at", flat=True)) == {START + DAY}

    clock.advance(timedelta(hours=5))
    sandbox_env.take_down([taken, other], reference=str(notices[0].reference))
    clock.advance(timedelta(hours=18, minutes=59))
    assert DueRechecks().enqueue_due(clock.now(), 10) == 0  # a minute early
    clock.advance(timedelta(minutes=1))
    rows = run_worker()
    assert sorted(r["result"] for r in rows if r["task"] == "recheck_item") == ["removed", "removed", "still-there"]

    by_url = {i.url: i for i in NoticeItem.objects.all()}
    for url, status in ((taken, 404), (other, 410)):
        item = by_url[normalize_url(url).url]
        assert (item.status, item.removed_at, item.time_to_removal) == ("removed", START + DAY, DAY)
        assert item.last_check_detail == f"HTTP {status}" and item.next_check_at is None
        assert _events(item) == [("recheck", "removed"), ("removed", None)]
    still = by_url[normalize_url(kept).url]
    assert still.last_verified == START + DAY and still.next_check_at == START + 2 * DAY
    assert still.checks == 1 and still.last_check_detail == "the same bytes (SHA-256)"
    removed = AuditEvent.objects.filter(action="notice:item-removed")
    assert sorted(e.target_id for e in removed) == sorted(str(n.reference) for n in notices)
    assert run_worker() == []  # nothing due until tomorrow


def test_changed_bytes_are_compared_with_the_listed_hashes(
    clock: clocks.ManualClock, monkeypatch: pytest.MonkeyPatch, quiet_ladder: None, operator: Actor, system: Actor
) -> None:
    original, variant, other = picture_bytes(11), picture_bytes(11, quality=40), picture_bytes(12)
    listed = reference_pdq_of(original)
    assert distance(listed.hash, reference_pdq_of(variant).hash) <= 31 < distance(listed.hash, reference_pdq_of(other).hash)
    import_list(HashList("known", [ListEntry("pdq", listed.hash)], category="csam", verified=True), actor=operator)
    with content_server() as server:
        monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", server.allow)
        server.routes["/img/1.jpg"] = (200, original, "image/jpeg")
        item = _sent_item(server.url("/img/1.jpg"), original, system, operator)
        outcomes = []
        for body in (original, variant, other):
            server.routes["/img/1.jpg"] = (200, body, "image/jpeg")
            clock.advance(DAY)
            outcomes.append(recheck(item.pk, actor=system))
            item.refresh_from_db()
            outcomes.append(item.last_check_detail.split(":")[0].split(" (")[0])
    assert outcomes == ["still-there", "the same bytes", "still-there", "other bytes that still match",
                        "removed", "other bytes"]
    assert item.status == "removed" and item.time_to_removal == 3 * DAY
    assert "no longer match" in item.last_check_detail


def test_a_page_carrying_the_file_inline_still_serves_it(
    clock: clocks.ManualClock, monkeypatch: pytest.MonkeyPatch, quiet_ladder: None, operator: Actor, system: Actor
) -> None:
    original = picture_bytes(21)
    import_list(HashList("known", [ListEntry("pdq", reference_pdq_of(original).hash)], verified=True,
                         category="csam"), actor=operator)
    inline = f'<html><body><img src="data:image/jpeg;base64,{base64.b64encode(original).decode()}"></body></html>'
    with content_server() as server:
        monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", server.allow)
        item = _sent_item(server.url("/page.html"), original, system, operator)
        server.routes["/page.html"] = (200, inline.encode(), "text/html")
        clock.advance(DAY)
        assert recheck(item.pk, actor=system) == "still-there"
        server.routes["/page.html"] = (200, b"<html><body>This content was removed.</body></html>", "text/html")
        clock.advance(DAY)
        assert recheck(item.pk, actor=system) == "removed"  # a "soft 404": the file is gone


def test_answers_that_prove_nothing_are_inconclusive_and_checked_again_sooner(
    clock: clocks.ManualClock, monkeypatch: pytest.MonkeyPatch, quiet_ladder: None, operator: Actor, system: Actor
) -> None:
    original = picture_bytes(31)
    import_list(HashList("known", [ListEntry("pdq", reference_pdq_of(original).hash)], verified=True), actor=operator)
    with content_server() as server:
        url = server.url("/img/1.jpg")
        monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", server.allow)
        item = _sent_item(url, original, system, operator)
        details = []
        for status in (503, 429, 403):
            server.routes["/img/1.jpg"] = (status, b"busy", "text/plain")
            clock.advance(DAY)
            assert recheck(item.pk, actor=system) == "inconclusive"
            item.refresh_from_db()
            assert item.next_check_at == clock.now() + timedelta(hours=1)
            details.append(item.last_check_detail)
        monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", "")  # now the guard refuses the address
        clock.advance(timedelta(hours=1))
        assert recheck(item.pk, actor=system) == "inconclusive"
        item.refresh_from_db()
        details.append(item.last_check_detail.split(":")[0])
        monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", server.allow)
    clock.advance(timedelta(hours=1))
    assert recheck(item.pk, actor=system) == "inconclusive"  # the server is gone: refused
    item.refresh_from_db()
    assert details == ["HTTP 503", "HTTP 429", "HTTP 403", "the egress guard refused it"]
    assert (item.status, item.checks, item.inconclusive_checks) == ("open", 5, 5)
    assert item.last_verified == START  # never confirmed online since


class TableResolver(Resolver):
    """Names from a table the test edits; a missing name is unknown, with the reason given."""

    def __init__(self, table: dict[str, Address]) -> None:
        self.table = table
        self.reason = "[Errno -2] Name or service not known"

    def resolve(self, host: str) -> list[Address]:
        if host not in self.table:
            raise UnknownHost(host, self.reason)
        return [self.table[host]]


def test_a_host_that_leaves_dns_is_removed_unless_dns_only_failed_for_now(
    clock: clocks.ManualClock, monkeypatch: pytest.MonkeyPatch, quiet_ladder: None, operator: Actor, system: Actor
) -> None:
    original = picture_bytes(41)
    import_list(HashList("known", [ListEntry("pdq", reference_pdq_of(original).hash)], verified=True), actor=operator)
    names = TableResolver({"files.gone.test": IPv4Address("127.0.0.1")})
    previous = wiring.install(wiring.Wiring(names))
    try:
        with content_server() as server:
            monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", server.allow)
            server.routes["/img/1.jpg"] = (200, original, "image/jpeg")
            item = _sent_item(f"http://files.gone.test:{server.port}/img/1.jpg", original, system, operator)
            clock.advance(DAY)
            assert recheck(item.pk, actor=system) == "still-there"
            del names.table["files.gone.test"]
            names.reason = "[Errno -3] Temporary failure in name resolution"
            clock.advance(DAY)
            assert recheck(item.pk, actor=system) == "inconclusive"
            names.reason = "[Errno -2] Name or service not known"
            clock.advance(timedelta(hours=1))
            assert recheck(item.pk, actor=system) == "removed"
    finally:
        wiring.install(previous)
    item.refresh_from_db()
    assert item.last_check_detail.startswith("the host no longer resolves")
    assert item.time_to_removal == 2 * DAY + timedelta(hours=1)


def test_a_recheck_asked_for_is_due_at_once_and_audited(
    clock: clocks.ManualClock, monkeypatch: pytest.MonkeyPatch, quiet_ladder: None, operator: Actor, system: Actor
) -> None:
    original = picture_bytes(51)
    import_list(HashList("known", [ListEntry("pdq", reference_pdq_of(original).hash)], verified=True), actor=operator)
    with content_server() as server:
        monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", server.allow)
        item = _sent_item(server.url("/img/1.jpg"), original, system, operator)
        unsent = add_items(recipient("provider:other", email="abuse@other.example"),
                           [item_for(server.url("/img/2.jpg"), picture_bytes(52), list_name="known", seen=START)],
                           actor=system, now=clock.now()).notice
        assert unsent is not None
        clock.advance(timedelta(hours=2))
        request_recheck(item.pk, reason="the provider says it removed the file")
        item.refresh_from_db()
        assert item.next_check_at == clock.now()
        (event,) = NoticeEvent.objects.filter(item=item, event="recheck-requested")
        assert event.details["reason"] == "the provider says it removed the file"
        (audited,) = AuditEvent.objects.filter(action="notice:recheck-request")
        assert audited.target_id == item.notice.reference and audited.actor == "recheck-request"
        assert DueRechecks().enqueue_due(clock.now(), 10) == 1
        assert recheck(item.pk, actor=system) == "removed"  # the route was never served: 404
        item.refresh_from_db()
        assert item.time_to_removal == timedelta(hours=2)
        request_recheck(item.pk, reason="again")  # closed: nothing to do
        assert NoticeEvent.objects.filter(item=item, event="recheck-requested").count() == 1
        with pytest.raises(InvalidTransition, match="has not been sent yet"):
            request_recheck(unsent.items.get().pk, reason="too early")
        with pytest.raises(UnknownNoticeItem):
            request_recheck(10**9, reason="nothing")


def _sent_item(url: str, data: bytes, system: Actor, operator: Actor) -> NoticeItem:
    """``data`` at ``url`` noticed and sent now (console delivery: development mode)."""
    notice = add_items(recipient(), [item_for(url, data, list_name="known", seen=START)], actor=system,
                       now=clocks.current().now()).notice
    assert notice is not None
    request_send(str(notice.reference), actor=operator)
    assert deliver(notice.pk, worker="test-worker") == "sent"
    return Notice.objects.get(pk=notice.pk).items.get()
