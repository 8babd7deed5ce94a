"""What is waiting for review, and for whom.

Two kinds of items, both one media file: *unknown* media kept from a confirmed page (its
encrypted bytes are in :mod:`sentinelle.review`), and media whose sightings the notice intake
left for an analyst (matches against unverified or disabled lists only). An item leaves an
analyst's queue once that analyst classified it, and everyone's once it is decided or disputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count

from sentinelle.classification.models import Decision, Verdict
from sentinelle.notices.models import IntakeState, SightingIntake
from sentinelle.review.models import ReviewMedia
from sentinelle.sightings.models import Media, Sighting

LIMIT = 50


@dataclass(frozen=True)
class Claim:
    """What an unverified list says of the media, and where it was seen."""

    list_name: str
    category: str
    signal_type: str
    distance: int
    url: str
    page_url: str


@dataclass
class Item:
    media: Media
    kept: bool  #: bytes are kept (a blurred view can be shown)
    waiting: int = 0  #: sightings waiting for an analyst in the notice intake
    claims: list[Claim] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "unverified" if self.waiting else "unknown"


def kept_ids(now: datetime) -> set[int]:
    return set(ReviewMedia.objects.filter(expires_at__gt=now).values_list("media_id", flat=True))


def waiting_ids() -> set[int]:
    rows = SightingIntake.objects.filter(state=IntakeState.ANALYST)
    return set(rows.values_list("sighting__media_id", flat=True))


def disputed_ids() -> set[int]:
    rows = (Verdict.objects.values("media_id").annotate(kinds=Count("category", distinct=True))
            .filter(kinds__gt=1))
    decided = set(Decision.objects.values_list("media_id", flat=True))
    return {row["media_id"] for row in rows} - decided


def in_review(media: Media, now: datetime) -> bool:
    kept = ReviewMedia.objects.filter(media=media, expires_at__gt=now).exists()
    return kept or SightingIntake.objects.filter(state=IntakeState.ANALYST, sighting__media=media).exists()


def queue_for(analyst: str, now: datetime, limit: int = LIMIT) -> list[Item]:
    """Items this analyst has not classified, neither decided nor disputed; oldest first."""
    candidates = kept_ids(now) | waiting_ids()
    candidates -= set(Decision.objects.values_list("media_id", flat=True))
    candidates -= set(Verdict.objects.filter(analyst=analyst).values_list("media_id", flat=True))
    candidates -= disputed_ids()
    media = Media.objects.filter(pk__in=candidates).order_by("first_seen", "id")[:limit]
    return describe(list(media), now)


def describe(media: list[Media], now: datetime) -> list[Item]:
    kept, waiting = kept_ids(now), _waiting_sightings([m.pk for m in media])
    items = []
    for one in media:
        sightings = waiting.get(one.pk, [])
        claims = [Claim(m.list_name, m.category, m.signal_type, m.distance, s.url, s.page.url if s.page else "")
                  for s in sightings for m in s.matches.all()]
        items.append(Item(one, one.pk in kept, len(sightings), claims))
    return items


def _waiting_sightings(media_ids: list[int]) -> dict[int, list[Sighting]]:
    waiting = SightingIntake.objects.filter(state=IntakeState.ANALYST, sighting__media_id__in=media_ids)
    sightings = (Sighting.objects.filter(pk__in=waiting.values("sighting_id")).select_related("page")
                 .prefetch_related("matches").order_by("seen_at", "id"))
    found: dict[int, list[Sighting]] = {}
    for sighting in sightings:
        found.setdefault(sighting.media_id, []).append(sighting)
    return found


def seen_at(media: Media, limit: int = 20) -> list[Sighting]:
    """Where the media was seen (newest first), for the item's page: addresses as text only."""
    return list(Sighting.objects.filter(media=media).select_related("page").order_by("-seen_at", "-id")[:limit])

