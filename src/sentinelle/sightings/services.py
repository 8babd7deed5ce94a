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

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from sentinelle.banks.models import KnownHash
from sentinelle.crawl.models import CrawlRequest
from sentinelle.sightings.models import Match, Page, Sighting
from sentinelle.sightings.observations import FoundMatch, Observation, SeenMedia
from sentinelle.sightings.prepared import PageSeen, Prepared, prepare, prepare_visit
from sentinelle.sightings.prepared import sighting_key as sighting_key  # re-exported
from sentinelle.sightings.upserts import host_row, media_row, page_row


def record_page(url: str, *, seen_at: datetime, status: int | None = None) -> Page:
    """The page at ``url`` (created when new), with ``last_seen``/``last_status`` brought up
    to ``seen_at``/``status`` unless a later visit is already recorded."""
    return record_visit(prepare_visit(url, seen_at=seen_at, status=status))


def record_visit(visit: PageSeen) -> Page:
    """:func:`record_page` of a checked visit."""
    with transaction.atomic():
        return page_row(visit.url, host_row(visit.url.host, visit.when), visit.when, visit.status)


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
    makes the page confirmed. (:func:`.bulk.record_sightings` records many at once.)
    """
    observed = Observation(
        media, url=url, seen_at=seen_at, page_url=page_url, page_status=page_status, ip=ip,
        http_status=http_status, matches=tuple(matches), run=run, crawl_request=crawl_request,
    )  # fmt: skip
    return record_observation(prepare(observed))


def record_observation(prepared: Prepared) -> tuple[Sighting, bool]:
    """Record one prepared observation in its own transaction (see :func:`record_sighting`)."""
    with transaction.atomic():
        existing = Sighting.objects.filter(key=prepared.key).first()
        if existing is not None:
            return existing, False
        return _insert(prepared)


def _insert(prepared: Prepared) -> tuple[Sighting, bool]:
    page, when, fields, found = prepared.page, prepared.when, prepared.fields, prepared.found
    on_page = page_row(page, host_row(page.host, when), when, prepared.page_status) if page else None
    stored = media_row(prepared.media, when, lock=bool(found))
    serving = host_row(prepared.media_url.host, when)
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
