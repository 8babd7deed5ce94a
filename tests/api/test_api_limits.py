"""Size caps, rate limits and the record of calls, through HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from api_support import bearer, partner, token
from django.test import Client, override_settings

from sentinelle.api.limits import body_limit, cap_for
from sentinelle.crawl.models import CrawlRequest
from sentinelle.partners.models import ApiCall, CacheEntry, RateWindow
from support.redis_service import REDIS, reachable_redis

pytestmark = pytest.mark.django_db


def test_a_body_over_the_cap_is_413_and_never_reaches_the_operation(client: Client) -> None:
    plain = token(partner(), "reports:write")
    urls = [f"http://files.example.net/{'x' * 60}/{n}" for n in range(1000)]  # ~80 KB > 64 KiB
    response = client.post("/api/v1/reports", {"urls": urls}, content_type="application/json", **bearer(plain))
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload-too-large" and error["details"]["limit_bytes"] == 65536
    assert CrawlRequest.objects.count() == 0


def test_an_operation_may_set_its_own_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    @body_limit(5 * 1024 * 1024)
    def big_operation() -> None: ...

    assert cap_for("big_operation") == 5 * 1024 * 1024
    assert cap_for("some_other_operation") == 65536
    monkeypatch.setenv("SENTINELLE_API_MAX_BODY_BYTES", "2048")
    assert cap_for(None) == 2048


def test_a_token_over_its_rate_gets_429_with_retry_after(client: Client) -> None:
    owner = partner()
    limited, other = token(owner, "reports:write", rate=2), token(owner, "reports:write")
    body = {"urls": ["http://files.example.net/a"]}
    answers = [client.post("/api/v1/reports", body, content_type="application/json", **bearer(limited))
               for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= 60
    error = refused.json()["error"]
    assert error["code"] == "rate-limited" and error["details"]["limit"] == 2
    # another token of the same partner has its own allowance
    assert client.post("/api/v1/reports", body, content_type="application/json", **bearer(other)).status_code == 200


def test_the_default_rate_comes_from_the_setting(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_API_RATE_PER_MINUTE", "1")
    plain = token(partner(), "lists:read")
    statuses = [client.get("/api/v1/lists/x/changes", **bearer(plain)).status_code for _ in range(2)]
    assert statuses == [404, 429]
    assert RateWindow.objects.get().used == 2  # counted in the database (no Redis set)


def test_every_call_is_recorded_with_who_and_what_but_no_payload(client: Client) -> None:
    owner = partner()
    plain = token(owner, "reports:write")
    secret_url = "http://files.example.net/very-specific-path-123.jpg"
    client.post("/api/v1/reports", {"urls": [secret_url]}, content_type="application/json", **bearer(plain))
    client.get("/api/v1/lists/x/changes", **bearer(plain))  # 403: scope
    client.get("/api/v1/lists/x/changes")  # 401: nobody
    client.get("/api/v1/healthz")  # not recorded
    rows = list(ApiCall.objects.order_by("id"))
    assert [(r.route, r.status, r.partner_id) for r in rows] == [
        ("submit_report", 200, owner.id), ("list_changes", 403, owner.id), ("list_changes", 401, None)]
    first = rows[0]
    assert first.bytes_in > len(secret_url) and first.bytes_out > 0 and first.token_id is not None
    for row in rows:
        stored = " ".join(str(v) for v in vars(row).values())
        assert "very-specific-path" not in stored and "files.example.net" not in stored


@pytest.fixture
def redis_cache() -> Iterator[str]:
    """Django's cache on the Redis at 127.0.0.1:6379, under a fresh key prefix (deleted after)."""
    client = reachable_redis()
    prefix = f"sentinelle-test-api-{uuid.uuid4().hex[:12]}"
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix}
    with override_settings(CACHES={"default": backend}):
        yield prefix
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_with_redis_the_counts_live_in_redis(client: Client, redis_cache: str) -> None:
    import redis

    plain = token(partner(), "lists:read", rate=2)
    statuses = [client.get("/api/v1/lists/x/changes", **bearer(plain)).status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    keys = list(redis.Redis.from_url(REDIS).scan_iter(match=f"{redis_cache}*api-rate*"))
    assert len(keys) == 1
    assert CacheEntry.objects.count() == 0 and RateWindow.objects.count() == 0  # nothing in the database


def test_with_redis_a_cached_token_is_refused_on_the_call_after_its_revocation(
        client: Client, redis_cache: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from api_support import ADMIN

    from sentinelle.partners.services import find_token, revoke

    monkeypatch.setenv("SENTINELLE_API_TOKEN_CACHE_SECONDS", "3600")
    plain = token(partner(), "lists:read")
    assert client.get("/api/v1/lists/x/changes", **bearer(plain)).status_code == 404  # cached now
    assert revoke(find_token(plain[:12]), actor=ADMIN) is True  # bumps the generation in Redis
    assert client.get("/api/v1/lists/x/changes", **bearer(plain)).status_code == 401
