"""Recording what the crawler saw: hosts, pages and media upserted by key, sightings once.

Idempotence: a sighting is identified by :func:`sighting_key`, the SHA-256 of (the media's
SHA-256, the key of the media URL, the key of the page URL or nothing, the crawl run). The
run is a string the caller chooses to name one crawl of one request, e.g.
``f"{request.pk}:{request.attempts}"``; without one, the time ``seen_at`` stands in for it.
Recording the same sighting again (a resumed crawl, a retried pipeline item, two workers
at once) returns the stored one and changes nothing.

Recording is observation, not a change made by someone: it writes no audit events.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from sentinelle.banks.models import KnownHash
from sentinelle.crawl.models import CrawlRequest
from sentinelle.crawl.normalize import NormalizedUrl, normalize_url
from sentinelle.sightings import validation
from sentinelle.sightings.models import Match, Page, Sighting
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.upserts import host_row, media_row, page_row


def sighting_key(media_sha256: str, url_key: str, page_key: str | None, run: str) -> str:
    """The natural key of a sighting (see the module's documentation)."""
    body = json.dumps([media_sha256, url_key, page_key or "", run], separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_page(url: str, *, seen_at: datetime, status: int | None = None) -> Page:
    """The page at ``url`` (created when new), with ``last_seen``/``last_status`` brought up
    to ``seen_at``/``status`` unless a later visit is already recorded."""
    normalized = normalize_url(url)
    when = validation.moment("seen_at", seen_at)
    code = validation.http_status("page status", status)
    with transaction.atomic():
        return page_row(normalized, host_row(normalized.host, when), when, code)


def record_sighting(
    media: SeenMedia,
    *,
    url: str,
    seen_at: datetime,
    page_url: str | None = None,
    page_status: int | None = None,
    ip: str | None = None,
    http_status: int | None = None,
    matches: Iterable[FoundMatch] = (),
    run: str | None = None,
    crawl_request: CrawlRequest | None = None,
) -> tuple[Sighting, bool]:
    """Record ``media`` seen at ``url`` (on ``page_url``), and its matches, in one transaction.

    Returns ``(sighting, created)``; ``created`` is false when this sighting was recorded
    before, in which case nothing is changed. A confirmed match (``confirmed_reference``)
    makes the page confirmed.
    """
    values = validation.media_fields(media)
    media_url = normalize_url(url)
    page = normalize_url(page_url) if page_url is not None else None
    when = validation.moment("seen_at", seen_at)
    label = validation.run(run)
    key = sighting_key(
        values["sha256"], media_url.key, page.key if page else None, label or canonical_time(when)
    )
    found = _best_per_hash(
        validation.match_fields(match) | {"known_hash": match.known_hash} for match in matches
    )
    sighting_fields = {
        "key": key,
        "url": media_url.url,
        "url_key": media_url.key,
        "crawl_request": crawl_request,
        "run": label,
        "seen_at": when,
        "ip": validation.address(ip),
        "http_status": validation.http_status("http_status", http_status),
    }
    page_code = validation.http_status("page_status", page_status)
    with transaction.atomic():
        existing = Sighting.objects.filter(key=key).first()
        if existing is not None:
            return existing, False
        return _insert(values, media_url.host, page, page_code, sighting_fields, found)


def _insert(
    values: dict[str, Any],
    media_host: str,
    page: NormalizedUrl | None,
    page_status: int | None,
    fields: dict[str, Any],
    found: list[dict[str, Any]],
) -> tuple[Sighting, bool]:
    when: datetime = fields["seen_at"]
    on_page = page_row(page, host_row(page.host, when), when, page_status) if page else None
    stored = media_row(values, when, lock=bool(found))
    serving = host_row(media_host, when)
    try:
        with transaction.atomic():
            sighting: Sighting = Sighting.objects.create(
                media=stored, page=on_page, host=serving, **fields
            )
    except IntegrityError:
        # Another writer recorded the same sighting since we looked: theirs stands.
        winner: Sighting | None = Sighting.objects.filter(key=fields["key"]).first()
        if winner is None:
            raise
        return winner, False
    Match.objects.bulk_create(
        Match(sighting=sighting, **match | {"known_hash": _linked(match)}) for match in found
    )
    if on_page is not None and any(match["confirmed_reference"] for match in found):
        Page.objects.filter(pk=on_page.pk).filter(
            Q(confirmed=False) | Q(confirmed_at__gt=when)
        ).update(confirmed=True, confirmed_at=when)
    return sighting, True


def _best_per_hash(matches: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One match per listed hash: confirmed before unconfirmed, then the smallest distance."""
    best: dict[tuple[str, str, str], dict[str, Any]] = {}
    for match in matches:
        slot = (match["list_name"], match["signal_type"], match["hash"])
        rank = (not match["confirmed_reference"], match["distance"])
        kept = best.get(slot)
        if kept is None or rank < (not kept["confirmed_reference"], kept["distance"]):
            best[slot] = match
    return list(best.values())


def _linked(match: dict[str, Any]) -> KnownHash | None:
    known: KnownHash | None = match["known_hash"]
    if known is not None:
        return known
    known = (
        KnownHash.objects.filter(
            list__name=match["list_name"], signal_type=match["signal_type"], hash=match["hash"]
        )
        .order_by("id")
        .first()
    )
    return known
