"""The per-call path in-process: cached tokens, the one-round-trip counters, batched records
and the API's short middleware path."""

from __future__ import annotations

import pytest
from api_support import ADMIN, T0, bearer, partner, token
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sentinelle.api import recording
from sentinelle.api.call_buffer import CallBuffer
from sentinelle.partners import caller_cache
from sentinelle.partners.counters import DatabaseCounters
from sentinelle.partners.models import ApiCall, PartnerToken, RateWindow
from sentinelle.partners.services import find_token, revoke

pytestmark = pytest.mark.django_db
MATCH = "/api/v1/match/hashes"
BODY = {"hashes": [{"signal_type": "sha256", "hash": "ab" * 32}]}


@pytest.fixture(autouse=True)
def cached_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_API_TOKEN_CACHE_SECONDS", "3600")
    caller_cache.clear()


def call(client: Client, plain: str) -> int:
    return int(client.post(MATCH, BODY, content_type="application/json", **bearer(plain)).status_code)


def test_a_cached_token_needs_one_counter_query_and_no_token_query(client: Client) -> None:
    plain = token(partner(), "match")
    assert call(client, plain) == 200
    with CaptureQueriesContext(connection) as queries:
        assert call(client, plain) == 200
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("DELETE")]  # a new minute
    assert not any("partners_partnertoken" in s for s in statements), statements
    assert sum("partners_ratewindow" in s for s in statements) == 1  # count + generation, one statement
    assert len(statements) == 2  # and the call record (written during the call in these tests)


def test_a_cached_token_is_refused_on_the_call_after_its_revocation(client: Client) -> None:
    plain = token(partner(), "match")
    assert call(client, plain) == 200
    assert revoke(find_token(plain[:12]), actor=ADMIN) is True
    assert call(client, plain) == 401


def test_a_cached_token_sees_new_scopes_and_a_deactivated_partner_at_once(client: Client) -> None:
    owner = partner()
    plain = token(owner, "match", "lists:read")
    assert call(client, plain) == 200
    stored = find_token(plain[:12])
    stored.scopes = ["lists:read"]
    stored.save()
    assert call(client, plain) == 403
    owner.active = False
    owner.save()
    assert call(client, plain) == 401


def test_changes_made_around_the_services_wait_for_the_cache_lifetime(
        client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = token(partner(), "match")
    assert call(client, plain) == 200
    PartnerToken.objects.filter(prefix=plain[:12]).update(revoked_at=T0)  # no signal, no bump
    assert call(client, plain) == 200  # the documented limit: cached until it lapses
    monkeypatch.setenv("SENTINELLE_API_TOKEN_CACHE_SECONDS", "0")
    assert call(client, plain) == 401


def test_the_rate_is_counted_once_for_every_process(client: Client) -> None:
    plain = token(partner(), "match", rate=3)
    statuses = []
    for _ in range(5):
        caller_cache.clear()  # as if each call reached another worker
        statuses.append(call(client, plain))
    assert statuses == [200, 200, 200, 429, 429]
    assert RateWindow.objects.get().used == 5


def test_past_minutes_are_swept_once_a_new_minute_begins() -> None:
    store = DatabaseCounters()
    assert [store.hit(7, 100).used, store.hit(7, 100).used, store.hit(8, 101).used] == [1, 2, 1]
    store.hit(7, 103)
    assert sorted(RateWindow.objects.values_list("minute", flat=True)) == [103]


def test_the_generation_counts_changes_to_partners_and_tokens() -> None:
    store = DatabaseCounters()
    before = store.generation()
    token(partner(), "match")  # a partner and a token saved
    assert store.generation() > before
    assert store.hit(1, 1).generation == store.generation()


def test_records_wait_for_a_batch_and_are_written_in_one_insert(
        client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_API_RECORD_BATCH", "3")
    monkeypatch.setenv("SENTINELLE_API_RECORD_FLUSH_SECONDS", "3600")
    # written by the call that fills the batch: the writer thread would write outside the
    # test's transaction (the live test covers it)
    calls = CallBuffer(background=False)
    monkeypatch.setattr(recording, "calls", calls)
    plain = token(partner(), "match")
    try:
        assert [call(client, plain) for _ in range(2)] == [200, 200]
        assert ApiCall.objects.count() == 0 and calls.pending() == 2
        with CaptureQueriesContext(connection) as queries:
            assert call(client, plain) == 200
        assert sum(q["sql"].startswith('INSERT INTO "partners_apicall"') for q in queries.captured_queries) == 1
        assert ApiCall.objects.count() == 3
        assert call(client, plain) == 200
        assert calls.flush() == 1 and ApiCall.objects.count() == 4
    finally:
        calls.flush()


def test_the_api_skips_the_pages_middleware_but_keeps_the_security_headers(client: Client) -> None:
    plain = token(partner(), "match")
    client.cookies["sessionid"] = "not-a-session"
    response = client.post(MATCH, BODY, content_type="application/json", **bearer(plain))
    assert response.status_code == 200  # no CSRF token needed, the cookie ignored
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
                   "Content-Length", "Cross-Origin-Resource-Policy"):
        assert header in response, header
    assert "Set-Cookie" not in response and "Content-Language" not in response
    assert not hasattr(response.wsgi_request, "session") and not hasattr(response.wsgi_request, "user")
