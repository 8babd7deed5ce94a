"""The pure parts of the statistics pages: SVG charts (well-formed, one bar per value, labels
escaped), CSV cells (formula injection), periods read from a query, the histogram's buckets."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
from django.http import QueryDict

from sentinelle.statistics.charts import bar_chart, column_chart
from sentinelle.statistics.exceptions import BadPeriod
from sentinelle.statistics.export import as_csv, cell
from sentinelle.statistics.period import Period, from_query
from sentinelle.statistics.services import Table, histogram, series

NS = {"svg": "http://www.w3.org/2000/svg"}


def _bars(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [rect.findtext("svg:title", namespaces=NS) or "" for rect in root.iterfind(".//svg:rect[@class='bar']", NS)]


def test_a_bar_chart_is_well_formed_with_one_escaped_bar_per_value() -> None:
    svg = bar_chart("c", "Per <provider>", [("alpha", 4), ("<script>alert(1)</script>", 2), ("a & b", 0)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg
    assert _bars(svg) == ["alpha: 4", "<script>alert(1)</script>: 2", "a & b: 0"]
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.findtext("svg:title", namespaces=NS) == "Per <provider>"
    widths = [float(r.get("width", "")) for r in root.iterfind(".//svg:rect[@class='bar']", NS)]
    assert widths[0] == 2 * widths[1] and widths[2] == 0


def test_a_column_chart_draws_every_column_and_an_empty_one_says_so() -> None:
    columns = [(f"2026-03-0{day}", day % 3) for day in range(1, 8)]
    svg = column_chart("m", "Matches", columns)
    assert len(_bars(svg)) == 7 and _bars(svg)[1] == "2026-03-02: 2"
    empty = column_chart("e", "Nothing", [], empty="Nothing here")
    assert _bars(empty) == [] and "Nothing here" in ET.fromstring(empty).findtext("svg:desc", namespaces=NS)


@pytest.mark.parametrize(("value", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("alpha", "alpha"), ("a=b", "a=b"), (-5, "-5"), (1.5, "1.5"),
    (None, ""),
])
def test_cells_that_a_spreadsheet_would_run_are_quoted(value: object, written: str) -> None:
    assert cell(value) == written


def test_a_table_is_written_with_a_header_and_csv_quoting() -> None:
    text = as_csv(Table("providers", ("provider", "noticed"), [('a "quoted", name', 3), ("=1+1", 1)]))
    assert list(csv.reader(io.StringIO(text))) == [["provider", "noticed"], ['a "quoted", name', "3"], ["'=1+1", "1"]]


def test_periods_are_read_and_bad_ones_refused() -> None:
    period = from_query(QueryDict("since=2026-03-01&until=2026-03-08T12:00:00%2B02:00"))
    assert period == Period(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 8, 10, tzinfo=UTC))
    assert from_query(QueryDict("year=2025")) == Period(datetime(2025, 1, 1, tzinfo=UTC),
                                                        datetime(2026, 1, 1, tzinfo=UTC))
    for bad in ("since=yesterday", "since=2026-03-08&until=2026-03-01", "year=25", "year=2025&since=2025-01-01",
                "until=2026-13-01", "since=1900-01-01&until=2026-01-01"):
        with pytest.raises(BadPeriod):
            from_query(QueryDict(bad))


def test_the_series_fills_empty_days_and_groups_long_periods_by_week_and_month() -> None:
    week = Period(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 8, tzinfo=UTC))
    step, points = series(week, {date(2026, 3, 2): 4, date(2026, 3, 7): 1})
    assert step == "day" and len(points) == 7 and points[1] == (date(2026, 3, 2), 4) and sum(n for _, n in points) == 5
    half = Period(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC))
    step, points = series(half, {date(2026, 3, 4): 2, date(2026, 3, 8): 3})  # Wednesday and Sunday
    assert step == "week" and dict(points)[date(2026, 3, 2)] == 5 and all(d.weekday() == 0 for d, _ in points[1:])
    years = Period(datetime(2023, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    step, points = series(years, {date(2024, 5, 31): 1, date(2024, 5, 1): 1})
    assert step == "month" and len(points) == 36 and dict(points)[date(2024, 5, 1)] == 2


def test_the_histogram_puts_each_removal_in_one_bucket() -> None:
    counts = dict(histogram([59.0, 3600.0, 3599.0, 86400.0 * 3, 86400.0 * 45, 86400.0 * 30]))
    assert counts == {"< 1 h": 2, "1-6 h": 1, "6-24 h": 0, "1-2 d": 0, "2-7 d": 1, "7-30 d": 0, ">= 30 d": 2}
