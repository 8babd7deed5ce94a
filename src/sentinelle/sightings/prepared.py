"""An observation checked and shaped into its rows before anything is written.

Idempotence: a sighting is identified by :func:`sighting_key`, the SHA-256 of (the media's
SHA-256, the key of the media URL, the key of the page URL or nothing, the crawl run); see
:mod:`.services`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sentinelle.crawl.normalize import NormalizedUrl, normalize_url
from sentinelle.sightings import validation
from sentinelle.sightings.observations import Observation


def sighting_key(media_sha256: str, url_key: str, page_key: str | None, run: str) -> str:
    """The natural key of a sighting (see the module's documentation)."""
    body = json.dumps([media_sha256, url_key, page_key or "", run], separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Prepared:
    """An observation checked and put in the shape of its rows (nothing written yet)."""

    media: dict[str, Any]
    media_url: NormalizedUrl
    page: NormalizedUrl | None
    page_status: int | None
    #: The sighting's own columns (``key``, ``url``, ``seen_at``...).
    fields: dict[str, Any]
    #: The matches' columns, one per listed hash (``known_hash`` may be None).
    found: list[dict[str, Any]]

    @property
    def key(self) -> str:
        return str(self.fields["key"])

    @property
    def when(self) -> datetime:
        when: datetime = self.fields["seen_at"]
        return when


def prepare(observed: Observation) -> Prepared:
    """Check ``observed`` (:class:`InvalidObservation`, :class:`InvalidUrl`) and compute its key."""
    values = validation.media_fields(observed.media)
    media_url = normalize_url(observed.url)
    page = normalize_url(observed.page_url) if observed.page_url is not None else None
    when = validation.moment("seen_at", observed.seen_at)
    label = validation.run(observed.run)
    key = sighting_key(
        values["sha256"], media_url.key, page.key if page else None, label or canonical_time(when)
    )
    found = best_per_hash(
        validation.match_fields(match) | {"known_hash": match.known_hash}
        for match in observed.matches
    )
    fields = {
        "key": key,
        "url": media_url.url,
        "url_key": media_url.key,
        "crawl_request": observed.crawl_request,
        "run": label,
        "seen_at": when,
        "ip": validation.address(observed.ip),
        "http_status": validation.http_status("http_status", observed.http_status),
    }
    page_code = validation.http_status("page_status", observed.page_status)
    return Prepared(values, media_url, page, page_code, fields, found)


def best_per_hash(matches: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One match per listed hash: confirmed before unconfirmed, then the smallest distance."""
    best: dict[tuple[str, str, str], dict[str, Any]] = {}
    for match in matches:
        slot = (match["list_name"], match["signal_type"], match["hash"])
        rank = (not match["confirmed_reference"], match["distance"])
        kept = best.get(slot)
        if kept is None or rank < (not kept["confirmed_reference"], kept["distance"]):
            best[slot] = match
    return list(best.values())


@dataclass(frozen=True)
class PageSeen:
    """A visit of a page, checked: its URL, when, and the HTTP status it answered with."""

    url: NormalizedUrl
    when: datetime
    status: int | None


def prepare_visit(url: str, *, seen_at: datetime, status: int | None = None) -> PageSeen:
    """Check a page visit (:class:`InvalidObservation`, :class:`InvalidUrl`)."""
    normalized = normalize_url(url)
    return PageSeen(
        normalized, validation.moment("seen_at", seen_at), validation.http_status("page status", status)
    )
