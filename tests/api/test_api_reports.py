"""A partner's URL feed through HTTP: crawl requests, refusals and their reasons."""

from __future__ import annotations

import pytest
from api_support import bearer, partner, token
from django.test import Client

from sentinelle.audit.models import AuditEvent
from sentinelle.crawl.models import CrawlRequest, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def feeder() -> str:
    return token(partner("feed-partner"), "reports:write")


def post(client: Client, plain: str, body: object):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/reports", body, content_type="application/json", **bearer(plain))


def test_urls_become_partner_crawl_requests_and_private_addresses_are_refused(client: Client, feeder: str) -> None:
    urls = ["http://files.example.net/a.jpg", "http://127.0.0.1:6379/", "http://10.1.2.3/x", "ftp://example.net/",
            "not a url"]
    response = post(client, feeder, {"urls": urls})
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["refused"]) == (1, 4)
    first, loopback, private, ftp, words = body["urls"]
    assert first["accepted"] and first["reason"] is None and not first["already_queued"]
    for refused in (loopback, private):
        assert not refused["accepted"] and refused["reason"].startswith("egress-refused")
        assert refused["crawl_request"] is None
    assert ftp["reason"].startswith("invalid-url") and words["reason"].startswith("invalid-url")
    request = CrawlRequest.objects.get()
    assert request.id == first["crawl_request"]
    assert request.source == Source.PARTNER and request.requested_by == "partner:feed-partner"
    event = AuditEvent.objects.get(action="crawl:request")
    assert (event.actor_kind, event.actor) == ("partner", "feed-partner")


def test_a_url_already_queued_is_not_queued_twice(client: Client, feeder: str) -> None:
    first = post(client, feeder, {"urls": ["http://files.example.net/b.jpg"]}).json()["urls"][0]
    again = post(client, feeder, {"urls": ["http://files.example.net/b.jpg"], "priority": 5}).json()["urls"][0]
    assert again["accepted"] and again["already_queued"]
    assert again["crawl_request"] == first["crawl_request"]
    assert CrawlRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"urls": [f"http://files.example.net/{n}" for n in range(6)]}, "too-many-urls"),
        ({"urls": []}, "invalid-request"),
        ({"urls": "http://files.example.net/"}, "invalid-request"),
        ({"urls": ["http://files.example.net/"], "priority": 11}, "invalid-request"),
    ],
)
def test_bad_feeds_are_422_and_queue_nothing(client: Client, feeder: str, body: object, code: str) -> None:
    response = post(client, feeder, body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    assert CrawlRequest.objects.count() == 0


def test_a_body_that_is_not_json_is_400(client: Client, feeder: str) -> None:
    response = client.post("/api/v1/reports", "{not json", content_type="application/json", **bearer(feeder))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed-body"
