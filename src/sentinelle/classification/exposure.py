"""How long each analyst looked at review items: the daily review time.

Why it is counted: looking at abusive material harms the people who do it, and a hotline
limits and watches that exposure. The accounting, chosen to be simple to explain:

* opening an item's page starts an exposure (one row: the analyst, the item, the start);
* it ends at the analyst's verdict on that item, or when the same analyst opens another
  review page (the queue, another item): one person looks at one thing at a time;
* each exposure counts for at most ``SENTINELLE_REVIEW_EXPOSURE_CAP_SECONDS`` (default 300),
  and one that was never ended (the tab left open, the analyst gone) counts for the cap once
  that much time has passed: the figure errs on the side of more exposure, never less;
* a day is the calendar day of the start, in the server's time zone.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.utils import timezone

from sentinelle.classification.models import Exposure
from sentinelle.classification.rules import exposure_cap
from sentinelle.sightings.models import Media


def start(media: Media, analyst: str, now: datetime) -> Exposure:
    """A new look at ``media`` (a reload of the same item continues the open one)."""
    current = Exposure.objects.filter(analyst=analyst, ended_at__isnull=True).order_by("-started_at", "-id").first()
    if current is not None and current.media_id == media.pk:
        return current
    end(analyst, now)
    row: Exposure = Exposure.objects.create(media=media, analyst=analyst, started_at=now)
    return row


def end(analyst: str, now: datetime, media: Media | None = None) -> int:
    """End the analyst's open exposures (of ``media`` only, when given)."""
    rows = Exposure.objects.filter(analyst=analyst, ended_at__isnull=True, started_at__lte=now)
    if media is not None:
        rows = rows.filter(media=media)
    return rows.update(ended_at=now)


def mark_revealed(media: Media, analyst: str, now: datetime) -> None:
    rows = Exposure.objects.filter(analyst=analyst, media=media, ended_at__isnull=True)
    if not rows.update(revealed=True):
        Exposure.objects.create(media=media, analyst=analyst, started_at=now, revealed=True)


def counted(row: Exposure, now: datetime, cap: timedelta) -> timedelta:
    finish = row.ended_at or now
    return max(min(finish - row.started_at, cap), timedelta(0))


def daily(now: datetime, days: int = 14, analyst: str | None = None) -> dict[tuple[str, date], dict[str, int]]:
    """``{(analyst, day): {"seconds", "items", "revealed"}}`` for the last ``days`` days."""
    since = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days - 1)
    rows = Exposure.objects.filter(started_at__gte=since, started_at__lte=now)
    if analyst is not None:
        rows = rows.filter(analyst=analyst)
    cap = exposure_cap()
    totals: dict[tuple[str, date], dict[str, int]] = defaultdict(lambda: {"seconds": 0, "items": 0, "revealed": 0})
    seen: dict[tuple[str, date], set[int]] = defaultdict(set)
    for row in rows.order_by("started_at", "id"):
        key = (row.analyst, timezone.localtime(row.started_at).date())
        totals[key]["seconds"] += int(counted(row, now, cap).total_seconds())
        seen[key].add(row.media_id)
        totals[key]["items"] = len(seen[key])
        totals[key]["revealed"] += int(row.revealed)
    return dict(totals)


def today(analyst: str, now: datetime) -> int:
    """The analyst's review seconds today."""
    key = (analyst, timezone.localtime(now).date())
    return daily(now, 1, analyst).get(key, {}).get("seconds", 0)
