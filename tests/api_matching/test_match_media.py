"""POST /api/v1/match/media and /match/url through HTTP; /url against a real local server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from api_matching_support import match_token, standard_lists
from django.test import Client

from sentinelle.hashing import digests

pytestmark = pytest.mark.django_db


def _media(client: Client, data: bytes, headers: dict[str, str], content_type: str = "image/jpeg") -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post("/api/v1/match/media", data, content_type=content_type, **headers)  # type: ignore[arg-type]
    return response.status_code, response.json()


def test_classification_exact_near_and_no_match(client: Client) -> None:
    pictures = standard_lists()
    headers = match_token()
    status, near = _media(client, pictures["near"], headers)
    assert status == 200
    assert near["sha256"] == digests(pictures["near"]).sha256 and near["sha1"] == digests(pictures["near"]).sha1
    assert (near["size"], near["classification"], near["match_type"]) == (len(pictures["near"]), "csam", "near")
    assert [(m["list"], m["signal_type"], m["distance"]) for m in near["matches"]] == [("verified-csam", "pdq", 6)]
    exact = _media(client, pictures["exact"], headers, "application/octet-stream")[1]
    assert (exact["classification"], exact["match_type"]) == ("csam", "exact")
    assert ("verified-csam", "md5", 0) in [(m["list"], m["signal_type"], m["distance"]) for m in exact["matches"]]
    other = _media(client, pictures["other"], headers, "image/png")[1]
    assert (other["classification"], other["match_type"]) == ("harmful-abusive", "exact")
    for role in ("hidden", "none"):  # "hidden" is only on an unverified list
        answer = _media(client, pictures[role], headers)[1]
        assert (answer["classification"], answer["match_type"], answer["matches"]) == ("no-known-match", None, [])


def test_size_limit_corrupt_image_and_content_type(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    pictures = standard_lists()
    headers = match_token()
    status, body = _media(client, b"\xff\xd8\xff\xe0 this is not really a jpeg", headers)
    assert status == 422 and body["error"]["code"] == "undecodable-media"
    assert _media(client, b"", headers)[1]["error"]["code"] == "empty-media"
    status, body = _media(client, pictures["none"], headers, "text/plain")
    assert status == 415 and body["error"]["code"] == "unsupported-media-type"
    monkeypatch.setenv("SENTINELLE_API_MEDIA_MAX_BYTES", "1000")
    status, body = _media(client, pictures["none"], headers)
    assert status == 413 and body["error"]["details"]["limit_bytes"] == 1000
    assert client.post("/api/v1/match/media", pictures["none"], content_type="image/jpeg").status_code == 401


class _Images(BaseHTTPRequestHandler):
    pictures: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/near.jpg")
            self.end_headers()
            return
        body = self.pictures.get(self.path.strip("/").removesuffix(".jpg"))
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def image_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _url(client: Client, url: str, headers: dict[str, str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post("/api/v1/match/url", json.dumps({"url": url}), content_type="application/json", **headers)  # type: ignore[arg-type]
    return response.status_code, response.json()


def test_url_fetched_through_the_egress_guard(client: Client, image_site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _Images.pictures = standard_lists()
    headers = match_token()
    status, body = _url(client, f"http://{image_site}/near.jpg", headers)
    assert status == 422 and body["error"]["code"] == "url-refused" and body["error"]["details"]["reason"] == "loopback"
    monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", f"127.0.0.1/32:{image_site.split(':')[1]}")
    status, body = _url(client, f"http://{image_site}/moved", headers)
    assert status == 200 and body["classification"] == "csam" and body["match_type"] == "near"
    assert body["final_url"] == f"http://{image_site}/near.jpg" and body["url"].endswith("/moved")
    status, body = _url(client, f"http://{image_site}/missing.jpg", headers)
    assert status == 422 and body["error"]["code"] == "url-status" and body["error"]["details"]["status"] == 404
    monkeypatch.setenv("SENTINELLE_API_MEDIA_MAX_BYTES", "1000")
    assert _url(client, f"http://{image_site}/none.jpg", headers)[1]["error"]["code"] == "media-too-large"


@pytest.mark.parametrize(("url", "reason"), [
    ("http://10.1.2.3/a.jpg", "private"),
    ("http://169.254.169.254/latest/meta-data", "metadata"),
    ("ftp://example.net/a.jpg", "scheme"),
])
def test_private_addresses_and_other_schemes_are_refused(client: Client, url: str, reason: str) -> None:
    standard_lists()
    status, body = _url(client, url, match_token())
    assert status == 422 and body["error"]["code"] == "url-refused" and body["error"]["details"]["reason"] == reason
