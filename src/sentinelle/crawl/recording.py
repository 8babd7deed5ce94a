"""What the crawler writes and reads in the database (run on :class:`.database.Database`'s
threads, never on the reactor's).

Sightings are recorded with :func:`sentinelle.sightings.services.record_sighting` and the
crawl's run label, so a page processed again after a restart records nothing twice. Every
match handed over was confirmed on the reference path (exact digests, or a PDQ candidate
re-hashed with Pillow and ``pdqhash`` by ``scan_bytes``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sentinelle.audit.services import Actor
from sentinelle.crawl.hashing_pool import HashedMedia
from sentinelle.crawl.models import CrawlRequest
from sentinelle.crawl.visits import MediaOutcome
from sentinelle.donotact.exceptions import InvalidDoNotAct
from sentinelle.donotact.services import blocks_hash, blocks_url
from sentinelle.engine.matcher import Match
from sentinelle.review.exceptions import ReviewRefused
from sentinelle.review.models import ReviewMedia
from sentinelle.review.services import store_review_media
from sentinelle.sightings.models import Media
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_page, record_sighting


@dataclass(frozen=True)
class Recorded:
    page_url: str | None
    created: bool


def found(match: Match) -> FoundMatch:
    return FoundMatch(
        list_name=match.list,
        signal_type=match.signal_type,
        hash=match.hash,
        distance=match.distance,
        confirmed_reference=True,  # scan_bytes returns reference-path verdicts only
        category=match.category or "",
        transform=match.transform or "",
    )


def seen_media(hashed: HashedMedia) -> SeenMedia:
    return SeenMedia(
        sha256=hashed.sha256,
        md5=hashed.md5,
        sha1=hashed.sha1,
        size=hashed.size,
        mime=hashed.mime,
        width=hashed.width,
        height=hashed.height,
        pdq=hashed.pdq,
        problem=hashed.problem.kind if hashed.problem else "",
    )


def record_media(
    outcome: MediaOutcome,
    page_urls: list[str | None],
    *,
    run: str,
    request_pk: int | None,
    page_status: dict[str, int | None],
) -> list[Recorded]:
    """One sighting of ``outcome`` per page (idempotent under the run label)."""
    media = seen_media(outcome.hashed)
    matches = [found(match) for match in outcome.hashed.matches]
    request = CrawlRequest.objects.get(pk=request_pk) if request_pk is not None else None
    recorded: list[Recorded] = []
    for page_url in page_urls:
        _, created = record_sighting(
            media,
            url=outcome.url,
            seen_at=outcome.seen_at,
            page_url=page_url,
            page_status=page_status.get(page_url) if page_url else None,
            ip=outcome.ip,
            http_status=outcome.status,
            matches=matches,
            run=run,
            crawl_request=request,
        )
        recorded.append(Recorded(page_url, created))
    return recorded


def visit_page(url: str, *, seen_at: datetime, status: int | None) -> None:
    record_page(url, seen_at=seen_at, status=status)


def hash_blocked(hashed: HashedMedia) -> str | None:
    """The signal type under which the do-not-act list names this media, if it does."""
    values = {"sha256": hashed.sha256, "md5": hashed.md5, "sha1": hashed.sha1}
    if hashed.pdq is not None:
        values["pdq"] = hashed.pdq.hash
    for signal_type, value in values.items():
        if blocks_hash(signal_type, value):
            return signal_type
    return None


def url_blocked(url: str) -> bool:
    try:
        return blocks_url(url)
    except InvalidDoNotAct:  # not a URL sentinelle could act on (the guard refuses it too)
        return False


def review_kept(sha256: str) -> bool:
    return ReviewMedia.objects.filter(media__sha256=sha256).exists()


def keep_for_review(sha256: str, data: bytes, *, actor: Actor) -> str:
    """Store unknown media of a confirmed page for the analysts: ``stored`` or why not."""
    media = Media.objects.filter(sha256=sha256).first()
    if media is None:
        return "no-media"
    try:
        store_review_media(media, data, actor=actor)
    except ReviewRefused as refused:  # MediaIsKnown -> refused-media-is-known
        return "refused-" + re.sub(r"(?<!^)(?=[A-Z])", "-", type(refused).__name__).lower()
    return "stored"
