"""POST /api/v1/match/hashes through HTTP with a partner token."""

from __future__ import annotations

import json

import pytest
from api_matching_support import match_token, pdq_of, standard_lists
from django.test import Client

from sentinelle.hashing import digests
from support.pictures import flip_bits

pytestmark = pytest.mark.django_db
URL = "/api/v1/match/hashes"


def _post(client: Client, body: object, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    response = client.post(URL, json.dumps(body), content_type="application/json", **headers)  # type: ignore[arg-type]
    return response.status_code, response.json()


def test_exact_near_and_no_match_from_verified_lists_only(client: Client) -> None:
    pictures = standard_lists()
    near_value = pdq_of(pictures["near"])
    status, body = _post(client, {"hashes": [
        {"signal_type": "pdq", "hash": near_value},  # 6 bits from the verified entry; also on the unverified list
        {"signal_type": "md5", "hash": digests(pictures["exact"]).md5},
        {"signal_type": "sha256", "hash": digests(pictures["other"]).sha256},
        {"signal_type": "pdq", "hash": pdq_of(pictures["hidden"])},  # only on the unverified list
        {"signal_type": "sha1", "hash": digests(pictures["none"]).sha1},
        {"signal_type": "pdq", "hash": flip_bits(near_value, 60)},
    ]}, match_token())
    assert status == 200
    results = body["results"]
    assert isinstance(results, list)
    assert [r["matches"] for r in results] == [
        [{"list": "verified-csam", "category": "csam", "signal_type": "pdq", "distance": 6}],
        [{"list": "verified-csam", "category": "csam", "signal_type": "md5", "distance": 0}],
        [{"list": "verified-ha", "category": "harmful-abusive", "signal_type": "sha256", "distance": 0}],
        [], [], [],
    ]
    assert results[0]["hash"] == near_value and results[4]["signal_type"] == "sha1"


@pytest.mark.parametrize(("item", "why"), [
    ({"signal_type": "pdq", "hash": "ab" * 16}, "64 lowercase hex"),
    ({"signal_type": "md5", "hash": "AB" * 16}, "pattern"),
    ({"signal_type": "sha1", "hash": "ab" * 32}, "40 lowercase hex"),
    ({"signal_type": "tmk", "hash": "ab" * 32}, "pdq"),
    ({"signal_type": "md5"}, "required"),
])
def test_a_bad_item_is_422_naming_it(client: Client, item: dict[str, str], why: str) -> None:
    standard_lists()
    good = {"signal_type": "md5", "hash": "0" * 32}
    status, body = _post(client, {"hashes": [good, good, item]}, match_token())
    assert status == 422
    error = body["error"]
    assert isinstance(error, dict) and error["code"] == "invalid-request"
    locations = [e["location"] for e in error["details"]["errors"]]
    assert all(2 in location and "hashes" in location for location in locations), locations
    assert why in json.dumps(error["details"])


def test_more_than_ten_thousand_hashes_is_422_and_ten_thousand_is_fine(client: Client) -> None:
    standard_lists()
    headers = match_token()
    item = {"signal_type": "md5", "hash": "0" * 32}
    assert _post(client, {"hashes": [item] * 10_001}, headers)[0] == 422
    status, body = _post(client, {"hashes": [item] * 10_000}, headers)
    assert status == 200 and len(body["results"]) == 10_000  # type: ignore[arg-type]
    assert _post(client, {"hashes": []}, headers)[0] == 422


def test_a_token_needs_the_match_scope(client: Client) -> None:
    standard_lists()
    body = {"hashes": [{"signal_type": "md5", "hash": "0" * 32}]}
    assert _post(client, body, {})[0] == 401
    assert _post(client, body, match_token("lists:read"))[0] == 403


def test_the_schema_describes_the_match_operations(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    hashes, media = paths["/api/v1/match/hashes"]["post"], paths["/api/v1/match/media"]["post"]
    assert {"200", "401", "403", "422"} <= set(hashes["responses"]) and "415" in media["responses"]
    assert "image/jpeg" in media["requestBody"]["content"]
    assert "/api/v1/match/url" in paths


def test_a_body_that_is_not_json_is_400(client: Client) -> None:
    standard_lists()
    response = client.post(URL, b"{not json", content_type="application/json", **match_token())  # type: ignore[arg-type]
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed-body"
