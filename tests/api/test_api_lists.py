"""List synchronisation through HTTP: paged changes, the full export and its checksum."""

from __future__ import annotations

import hashlib
import json

import pytest
from api_support import ADMIN, bearer, digest, partner, token
from django.test import Client

from sentinelle.banks.entries import add_hash, remove_hash
from sentinelle.banks.services import create_list
from sentinelle.lists.models import ListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared() -> str:
    """A list ``known`` with 7 additions and 1 removal, readable by the partner's token."""
    create_list("known", actor=ADMIN, category="csam")
    create_list("secret", actor=ADMIN, category="csam")
    for seed in range(7):
        add_hash("known", ListEntry("sha256", digest("sha256", seed), id=f"e{seed}"), actor=ADMIN)
    add_hash("secret", ListEntry("sha256", digest("sha256", 99)), actor=ADMIN)
    remove_hash("known", "sha256", digest("sha256", 3), actor=ADMIN)
    return token(partner(lists=["known"]), "lists:read")


def test_changes_come_in_pages_and_the_cursor_resumes(client: Client, shared: str) -> None:
    seen: list[dict[str, object]] = []
    cursor, pages = 0, 0
    while True:
        page = client.get("/api/v1/lists/known/changes", {"since": cursor, "limit": 3}, **bearer(shared)).json()
        pages += 1
        seen.extend(page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert pages == 3
    assert [c["op"] for c in seen] == ["add"] * 7 + ["remove"]
    assert [c["cursor"] for c in seen] == sorted(c["cursor"] for c in seen)
    assert seen[-1]["hash"] == digest("sha256", 3)
    assert cursor == seen[-1]["cursor"]
    again = client.get("/api/v1/lists/known/changes", {"since": cursor}, **bearer(shared)).json()
    assert again["changes"] == [] and again["next_cursor"] == cursor and again["has_more"] is False


def test_a_list_not_shared_with_the_partner_is_404_like_a_missing_one(client: Client, shared: str) -> None:
    for name in ("secret", "nothing-here"):
        for tail in ("changes", "export"):
            response = client.get(f"/api/v1/lists/{name}/{tail}", **bearer(shared))
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "unknown-list"


@pytest.mark.parametrize("query", [{"since": -1}, {"limit": 0}, {"limit": 100000}, {"since": "x"}])
def test_bad_paging_is_422_in_the_error_shape(client: Client, shared: str, query: dict[str, object]) -> None:
    response = client.get("/api/v1/lists/known/changes", query, **bearer(shared))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid-request" and error["details"]["errors"]


def test_the_export_holds_every_listed_hash_and_a_checksum_that_verifies(client: Client, shared: str) -> None:
    response = client.get("/api/v1/lists/known/export", **bearer(shared))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/jsonl"
    body = b"".join(response.streaming_content)  # type: ignore[arg-type]
    lines = body.splitlines(keepends=True)
    header, entries, trailer = json.loads(lines[0]), [json.loads(x) for x in lines[1:-1]], json.loads(lines[-1])
    assert header["list"] == "known" and header["format"] == "sentinelle-list-export/1"
    assert header["cursor"] == int(response["X-Sentinelle-Cursor"])
    assert {e["hash"] for e in entries} == {digest("sha256", s) for s in range(7) if s != 3}
    assert trailer["count"] == 6
    assert trailer["sha256"] == hashlib.sha256(b"".join(lines[:-1])).hexdigest()
    changes = client.get("/api/v1/lists/known/changes", {"since": header["cursor"]}, **bearer(shared)).json()
    assert changes["changes"] == []  # the export is current to its cursor


def test_list_calls_are_recorded_without_the_list_values(client: Client, shared: str) -> None:
    from sentinelle.partners.models import ApiCall

    client.get("/api/v1/lists/known/changes", **bearer(shared))
    client.get("/api/v1/lists/known/export", **bearer(shared))
    calls = list(ApiCall.objects.values("route", "status", "method", "partner__name"))
    assert calls == [
        {"route": "list_changes", "status": 200, "method": "GET", "partner__name": "platform-a"},
        {"route": "list_export", "status": 200, "method": "GET", "partner__name": "platform-a"},
    ]
