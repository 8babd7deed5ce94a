"""The figures ``sentinelle stats`` (and the demo's summary) print, for any database.

* **crawl**: pages and images (media files) first seen in the period, sightings made in it;
* **matches**: sightings in the period with a match confirmed on the reference path, the
  distinct files among them, and what the intake made of matched sightings (noticed, waiting
  for an analyst, waiting for a recipient...);
* **notices**: messages sent in the period, by kind, and notices that failed;
* **removal**: the items of the notices sent in the period, as they stand now: noticed,
  removed, still online, escalated, flagged for an analyst, and the median and 90th
  percentile of the time to removal (from the notice's ``sent_at`` to the recheck that found
  the file gone). Overall, a URL and file noticed to several recipients (say the host and the
  registrar) counts once, with its earliest removal; per provider and per country (the
  attribution's), each recipient's items count.

Percentiles interpolate linearly between the closest ranks (numpy's default); with no
removal they are null.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate

from sentinelle.attribution.models import Attribution
from sentinelle.notices.models import (
    LIVE,
    ItemStatus,
    Kind,
    Notice,
    NoticeItem,
    SightingIntake,
    Status,
)
from sentinelle.sightings.models import Match, Media, Page, Sighting


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) of ``values``, interpolated linearly; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Group:
    """The items of one provider, one country, or all of them."""

    noticed: int = 0
    removed: int = 0
    open: int = 0
    escalated: int = 0
    flagged: int = 0
    seconds: list[float] = field(default_factory=list)

    def add(self, status: str, removal: timedelta | None, escalated: bool, flagged: bool) -> None:
        self.noticed += 1
        self.removed += status == ItemStatus.REMOVED
        self.open += status in LIVE
        self.escalated += escalated
        self.flagged += flagged
        if removal is not None:
            self.seconds.append(removal.total_seconds())

    def as_dict(self) -> dict[str, Any]:
        return {"noticed": self.noticed, "removed": self.removed, "open": self.open,
                "escalated": self.escalated, "flagged": self.flagged,
                "median_seconds": percentile(self.seconds, 0.5), "p90_seconds": percentile(self.seconds, 0.9)}


def _within(name: str, since: datetime | None, until: datetime | None) -> Q:
    found = Q()
    if since is not None:
        found &= Q(**{f"{name}__gte": since})
    if until is not None:
        found &= Q(**{f"{name}__lt": until})
    return found


def compute(*, since: datetime | None = None, until: datetime | None = None) -> dict[str, Any]:
    """Every figure for the period [since, until) (either end open when None)."""
    seen = _within("seen_at", since, until)
    confirmed = Match.objects.filter(sighting=OuterRef("pk"), confirmed_reference=True)
    matched = Sighting.objects.filter(seen).filter(Exists(confirmed))
    intake = Counter(dict(SightingIntake.objects.filter(_within("sighting__seen_at", since, until))
                          .values_list("state").annotate(n=Count("id")).values_list("state", "n")))
    sent = Notice.objects.filter(_within("sent_at", since, until), status=Status.SENT)
    by_kind = Counter(dict(sent.values_list("kind").annotate(n=Count("id")).values_list("kind", "n")))
    return {
        "period": {"since": since.isoformat() if since else None, "until": until.isoformat() if until else None},
        "crawl": {
            "pages": Page.objects.filter(_within("first_seen", since, until)).count(),
            "images": Media.objects.filter(_within("first_seen", since, until)).count(),
            "sightings": Sighting.objects.filter(seen).count(),
        },
        "matches": {
            "sightings": matched.count(),
            "files": matched.values("media").distinct().count(),
            "intake": {state: intake.get(state, 0) for state in
                       ("noticed", "analyst", "unattributed", "blocked", "invalid", "skipped")},
        },
        "notices": {
            "sent": by_kind.get(Kind.NOTICE, 0), "reminders": by_kind.get(Kind.REMINDER, 0),
            "escalations": by_kind.get(Kind.ESCALATION, 0), "retractions": by_kind.get(Kind.RETRACTION, 0),
            "failed": Notice.objects.filter(_within("created", since, until), status=Status.FAILED).count(),
        },
        **_removal(since, until),
    }


def matches_per_day(*, since: datetime | None = None, until: datetime | None = None) -> dict[date, int]:
    """The matched sightings of ``compute`` (confirmed on the reference path) per UTC day."""
    confirmed = Match.objects.filter(sighting=OuterRef("pk"), confirmed_reference=True)
    days = (Sighting.objects.filter(_within("seen_at", since, until)).filter(Exists(confirmed))
            .annotate(day=TruncDate("seen_at", tzinfo=UTC)).values_list("day").annotate(n=Count("id")))
    return dict(sorted(days.values_list("day", "n")))


def removal_groups(since: datetime | None, until: datetime | None) -> tuple[Group, dict[str, Group], dict[str, Group]]:
    """The groups behind ``compute``'s removal figures: overall, per provider, per country
    (each with the times to removal in seconds, for a distribution)."""
    rows = (NoticeItem.objects.filter(_within("notice__sent_at", since, until), notice__kind=Kind.NOTICE,
                                      notice__sent_at__isnull=False)
            .exclude(status=ItemStatus.RETRACTED)
            .values_list("url_key", "sha256", "status", "time_to_removal", "escalated_at", "analyst_flag",
                         "notice__recipient_provider", "notice__recipient_name"))
    pairs: dict[tuple[str, str], list[Any]] = {}
    providers: dict[str, Group] = defaultdict(Group)
    by_url: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for url_key, sha256, status, removal, escalated_at, flag, provider, name in rows.iterator(chunk_size=2000):
        facts = (status, removal, escalated_at is not None, bool(flag))
        providers[provider or name].add(*facts)
        by_url[url_key].append(facts)
        held = pairs.setdefault((url_key, sha256), list(facts))
        if removal is not None and (held[1] is None or removal < held[1]):
            held[0], held[1] = status, removal
        held[2], held[3] = held[2] or facts[2], held[3] or facts[3]
    overall = Group()
    for status, removal, escalated, flagged in pairs.values():
        overall.add(status, removal, escalated, flagged)
    countries: dict[str, Group] = defaultdict(Group)
    for url_key, country in _countries(by_url):
        for facts in by_url[url_key]:
            countries[country or "unknown"].add(*facts)
    return overall, providers, countries


def _removal(since: datetime | None, until: datetime | None) -> dict[str, Any]:
    overall, providers, countries = removal_groups(since, until)
    return {
        "removal": overall.as_dict(),
        "providers": [{"provider": key, **group.as_dict()} for key, group in sorted(providers.items())],
        "countries": [{"country": key, **group.as_dict()} for key, group in sorted(countries.items())],
    }


def _countries(by_url: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """(url_key, country) for every key, "" when the URL has no attribution."""
    keys = list(by_url)
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        known = dict(Attribution.objects.filter(url_key__in=chunk).values_list("url_key", "country"))
        yield from ((key, known.get(key, "")) for key in chunk)
