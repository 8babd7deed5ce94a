"""Helpers for the extraction tests: a small HTTP client that reaches sandbox hosts through
the sandbox's resolver (loopback only), and the sandbox manifest grouped per document."""

from __future__ import annotations

import http.client
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sentinelle.crawl.normalize import normalize_url
from sentinelle.crawl.references import Extraction


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes


def fetch(resolver: Any, url: str, timeout: float = 10.0) -> Answer:
    """GET ``url`` from the address the resolver gives for its host (never real DNS)."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    address = str(resolver.resolve(parts.hostname)[0])
    assert address.startswith("127."), f"{url} resolves outside loopback: {address}"
    connection = http.client.HTTPConnection(address, parts.port or 80, timeout=timeout)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers={"Host": parts.netloc})
        response = connection.getresponse()
        return Answer(response.status, response.getheader("Content-Type") or "", response.read())
    finally:
        connection.close()


@dataclass
class Expected:
    """What the manifest says a crawler should find in one document (page, sheet, frame)."""

    urls: dict[str, str] = field(default_factory=dict)  # normalised URL -> construct
    data: list[tuple[int, str, str]] = field(default_factory=list)  # media id, type, construct
    links: set[str] = field(default_factory=set)


def expected_by_document(records: list[dict[str, Any]]) -> dict[str, Expected]:
    documents: dict[str, Expected] = defaultdict(Expected)
    for record in records:
        if record["type"] == "placement":
            expected = documents[normalize_url(record["document"]).url]
            if record["request"] is None:
                expected.data.append((record["media"], record["content_type"],
                                      record["construct"]))
            else:
                expected.urls[normalize_url(record["request"]).url] = record["construct"]
        elif record["type"] == "page":
            expected = documents[normalize_url(record["url"]).url]
            expected.links.update(normalize_url(link).url for link in record["links"])
    return documents


def summary(found: Extraction) -> str:
    return (f"{len(found.media)} media, {len(found.data_media)} data, {len(found.links)} links, "
            f"{len(found.frames)} frames, {len(found.stylesheets)} sheets, skipped {found.skipped}")
