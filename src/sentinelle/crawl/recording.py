"""What the crawler writes and reads in the database (run on :class:`.database.Database`'s
threads, never on the reactor's).

Sightings are recorded by :mod:`.batch_writes` (many files in one transaction) under the
crawl's run label, so a page processed again after a restart records nothing twice. Every
match handed over was confirmed on the reference path (exact digests, or a PDQ candidate
re-hashed with Pillow and ``pdqhash`` by ``scan_bytes``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sentinelle.audit.services import Actor
from sentinelle.crawl.donotact_checks import hash_listed, url_listed
from sentinelle.crawl.hashing_pool import HashedMedia
from sentinelle.engine.matcher import Match
from sentinelle.review.exceptions import ReviewRefused
from sentinelle.review.models import ReviewMedia
from sentinelle.review.services import store_review_media, unverified_only
from sentinelle.sightings.models import Media
from sentinelle.sightings.observations import FoundMatch, SeenMedia


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


def hash_blocked(hashed: HashedMedia) -> str | None:
    """The signal type under which the do-not-act list names this media, if it does."""
    values = {"sha256": hashed.sha256, "md5": hashed.md5, "sha1": hashed.sha1}
    if hashed.pdq is not None:
        values["pdq"] = hashed.pdq.hash
    return hash_listed(values)


def url_blocked(url: str) -> bool:
    """The URL, its host or a parent domain is on the do-not-act list."""
    return url_listed(url)


def unverified_matches(matches: Sequence[Match]) -> bool:
    """Every match is against a stored, unverified list: the media waits for analysts, so
    its bytes may be kept for review (never those of media matching a verified list)."""
    return bool(matches) and unverified_only({match.list for match in matches})


def review_kept(sha256: str) -> bool:
    return ReviewMedia.objects.filter(media__sha256=sha256).exists()


def keep_for_review(sha256: str, data: bytes, *, actor: Actor) -> str:
    """Store unknown (or unverified-only) media of a confirmed page for the analysts:
    ``stored`` or why not."""
    media = Media.objects.filter(sha256=sha256).first()
    if media is None:
        return "no-media"
    try:
        store_review_media(media, data, actor=actor)
    except ReviewRefused as refused:  # MediaIsKnown -> refused-media-is-known
        return "refused-" + re.sub(r"(?<!^)(?=[A-Z])", "-", type(refused).__name__).lower()
    return "stored"
