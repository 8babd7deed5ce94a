"""The period a page covers, read from its query: ``?since=&until=`` (ISO 8601 dates or times,
UTC unless they say otherwise; ``until`` excluded) or ``?year=``. Without any, the last 30 days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from django.http import QueryDict

from sentinelle import clock as clocks
from sentinelle.statistics.exceptions import BadPeriod

DEFAULT_DAYS: Final = 30
FIRST_YEAR: Final = 2000


@dataclass(frozen=True)
class Period:
    """``[since, until)``, both aware (UTC)."""

    since: datetime
    until: datetime

    @property
    def days(self) -> float:
        return (self.until - self.since).total_seconds() / 86400

    @property
    def last_day(self) -> date:
        """The last day the period touches (``until`` is excluded)."""
        return (self.until - timedelta(microseconds=1)).date()

    def query(self) -> str:
        return f"since={self.since.isoformat()}&until={self.until.isoformat()}"


def _moment(name: str, text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadPeriod(f"{name}: not an ISO 8601 date or time: {text[:40]!r}") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def year_period(text: str) -> Period:
    if not text.strip().isdigit() or not FIRST_YEAR <= int(text) <= 9998:
        raise BadPeriod(f"year: a year from {FIRST_YEAR} on, not {text[:12]!r}")
    year = int(text)
    return Period(_midnight(date(year, 1, 1)), _midnight(date(year + 1, 1, 1)))


def from_query(query: QueryDict) -> Period:
    """The period asked for; BadPeriod when a value is not a date or the period is empty."""
    if query.get("year"):
        if query.get("since") or query.get("until"):
            raise BadPeriod("year: give either a year or since/until, not both")
        return year_period(query["year"])
    today = clocks.current().now().astimezone(UTC).date()
    until = _moment("until", query["until"]) if query.get("until") else _midnight(today + timedelta(days=1))
    since = _moment("since", query["since"]) if query.get("since") else until - timedelta(days=DEFAULT_DAYS)
    if until <= since:
        raise BadPeriod("until must come after since")
    if until - since > timedelta(days=366 * 10):
        raise BadPeriod("the period may cover ten years at most")
    return Period(since, until)
