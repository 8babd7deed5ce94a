"""The server's own pages and headers, through HTTP (Django's test client)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from sentinelle.web.logs import RedactCapabilityLinks, redact


@pytest.mark.django_db
def test_health_says_ok_while_the_database_answers(client: Client) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.content == b"ok\n"
    assert "no-store" in answer["Cache-Control"]


def test_an_unknown_page_is_a_404_in_both_languages(client: Client) -> None:
    answer = client.get("/no/such/page")
    assert answer.status_code == 404
    html = answer.content.decode()
    assert "Page not found" in html and "Page introuvable" in html
    assert 'lang="fr"' in html


def test_every_page_carries_the_security_headers(client: Client) -> None:
    answer = client.get("/no/such/page")
    policy = answer["Content-Security-Policy"]
    for directive in ("default-src 'none'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
                      "base-uri 'none'"):
        assert directive in policy
    assert answer["X-Frame-Options"] == "DENY"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Referrer-Policy"] == "same-origin"
    assert answer["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in answer["Permissions-Policy"]


def test_the_style_sheet_is_served_from_the_package(client: Client) -> None:
    answer = client.get("/static/web/site.css")
    assert answer.status_code == 200
    assert b"font" in b"".join(answer.streaming_content)  # type: ignore[attr-defined]
    assert answer["Content-Type"].startswith("text/css")


def test_a_host_not_allowed_is_refused(client: Client) -> None:
    assert client.get("/healthz", HTTP_HOST="evil.example").status_code == 400


def test_capability_links_never_reach_the_logs() -> None:
    line = 'GET /respond/SN-2026-000001:1vA2bC:abcDEF_-123/?lang=fr HTTP/1.1'
    assert redact(line) == "GET /respond/[link]/?lang=fr HTTP/1.1"
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
                               ("/respond/SN-2026-000001:1vA2bC:abc/",), None)
    assert RedactCapabilityLinks().filter(record)
    assert record.getMessage() == "Internal Server Error: /respond/[link]/"
