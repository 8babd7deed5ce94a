"""The tables behind the statistics pages, built from ``sentinelle.notices.stats`` (which
computes every figure; here they are only arranged): matched sightings per day, week or month,
notices per provider and country, the distribution of times to removal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from django.utils.translation import gettext_noop

from sentinelle.notices import stats
from sentinelle.statistics.period import Period

DAILY_UP_TO: Final = 92  # days; weekly up to two years, monthly beyond
WEEKLY_UP_TO: Final = 731
#: Upper bounds (seconds) of the time-to-removal histogram's buckets; the last is open.
BUCKETS: Final = ((3600, "< 1 h"), (6 * 3600, "1-6 h"), (86400, "6-24 h"), (2 * 86400, "1-2 d"),
                  (7 * 86400, "2-7 d"), (30 * 86400, "7-30 d"), (None, ">= 30 d"))
STEPS: Final = (gettext_noop("day"), gettext_noop("week"), gettext_noop("month"))  # translated on the page
GROUP_COLUMNS: Final = ("noticed", "removed", "open", "escalated", "flagged", "median_seconds", "p90_seconds")


@dataclass(frozen=True)
class Table:
    """One exportable table: a name (the CSV's), a header row and the rows."""

    name: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class Statistics:
    period: Period
    figures: dict[str, Any]
    step: str  # "day", "week" or "month"
    tables: dict[str, Table]


def _bucket(day: date, step: str) -> date:
    if step == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if step == "month" else day


def series(period: Period, per_day: dict[date, int]) -> tuple[str, list[tuple[date, int]]]:
    """Matched sightings per day, week (from Monday) or month, zeros included, in order."""
    step = STEPS[0] if period.days <= DAILY_UP_TO else STEPS[1] if period.days <= WEEKLY_UP_TO else STEPS[2]
    counts: dict[date, int] = {}
    day = period.since.date()
    while day <= period.last_day:
        counts.setdefault(_bucket(day, step), 0)
        day += timedelta(days=1)
    for day, count in per_day.items():
        counts[_bucket(day, step)] = counts.get(_bucket(day, step), 0) + count
    return step, sorted(counts.items())


def histogram(seconds: list[float]) -> list[tuple[str, int]]:
    """How many removals took each bucket's time (BUCKETS)."""
    counts = [0] * len(BUCKETS)
    for value in seconds:
        counts[next(i for i, (bound, _) in enumerate(BUCKETS) if bound is None or value < bound)] += 1
    return [(label, count) for (_, label), count in zip(BUCKETS, counts, strict=True)]


def _groups(name: str, key: str, groups: list[dict[str, Any]]) -> Table:
    return Table(name, (key, *GROUP_COLUMNS), [(row[key], *(row[c] for c in GROUP_COLUMNS)) for row in groups])


def collect(period: Period) -> Statistics:
    """Every table of the overview for ``period``."""
    figures = stats.compute(since=period.since, until=period.until)
    step, points = series(period, stats.matches_per_day(since=period.since, until=period.until))
    overall, _, _ = stats.removal_groups(period.since, period.until)
    tables = {
        "matches": Table("matches", (step, "matched_sightings"), [(d.isoformat(), n) for d, n in points]),
        "providers": _groups("providers", "provider", figures["providers"]),
        "countries": _groups("countries", "country", figures["countries"]),
        "removal": Table("removal", ("time_to_removal", "removed"), list(histogram(overall.seconds))),
    }
    return Statistics(period, figures, step, tables)
