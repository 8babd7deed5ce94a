"""The statistics pages through HTTP with seeded data: the charts are well-formed SVG whose bars
are the stats service's numbers, every CSV equals those numbers, the transparency report, French,
bad periods, and who may see them."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from statistics_support import DAY, PERIOD, START, notice, seed, verified

from sentinelle.notices.stats import compute
from sentinelle.statistics.services import GROUP_COLUMNS

pytestmark = pytest.mark.django_db

NS = {"svg": "http://www.w3.org/2000/svg"}
URL = "/en/console/statistics/"


def _chart(html: str, ident: str) -> list[str]:
    found = re.search(rf'<svg [^>]*id="{ident}".*?</svg>', html, re.S)
    assert found, ident
    root = ET.fromstring(found.group(0))
    return [r.findtext("svg:title", namespaces=NS) or "" for r in root.iterfind(".//svg:rect[@class='bar']", NS)]


def _csv(client: Client, table: str, query: str = PERIOD) -> list[list[str]]:
    answer = client.get(f"{URL}{table}.csv?{query}")
    assert answer.status_code == 200 and answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"].startswith(f'attachment; filename="sentinelle-{table}-2026-03-01-2026-03-07')
    return list(csv.reader(io.StringIO(answer.content.decode())))


def test_the_overview_draws_the_seeded_figures() -> None:
    seed()
    client = verified("sam", "supervisor")
    page = client.get(f"{URL}?{PERIOD}")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert "<script>" not in html and "&lt;script&gt;" in html
    matches = _chart(html, "chart-matches")
    assert len(matches) == 7 and matches[0] == "2026-03-01: 3" and matches[2] == "2026-03-03: 2"
    assert sum(int(bar.rsplit(": ", 1)[1]) for bar in matches) == compute(since=START, until=START + 7 * DAY)[
        "matches"]["sightings"] == 5
    assert _chart(html, "chart-providers") == ["<script>: 2", "alpha: 4"]
    assert _chart(html, "chart-countries") == ["BE: 4", "FR: 2"]
    removal = _chart(html, "chart-removal")
    assert len(removal) == 7 and removal[0] == "< 1 h: 1" and removal[1] == "1-6 h: 1" and removal[2] == "6-24 h: 1"
    assert removal[4] == "2-7 d: 1"
    assert _chart(html, "chart-median") == ["<script>: 10", "alpha: 3"]  # hours
    assert f'href="{URL}matches.csv?since=2026-03-01T00:00:00+00:00&amp;until=2026-03-08T00:00:00+00:00"' in html


def test_every_csv_holds_the_stats_services_numbers_and_quotes_formulas() -> None:
    seed()
    client = verified("sam", "supervisor")
    figures = compute(since=START, until=START + 7 * DAY)
    for table, key in (("providers", "provider"), ("countries", "country")):
        rows = _csv(client, table)
        assert rows[0] == [key, *GROUP_COLUMNS]
        expected = [[row[key], *("" if row[c] is None else repr(row[c]) for c in GROUP_COLUMNS)]
                    for row in figures[table]]
        assert rows[1:] == expected and len(expected) == 2
    matches = _csv(client, "matches")
    assert matches[0] == ["day", "matched_sightings"] and matches[1] == ["2026-03-01", "3"] and len(matches) == 8
    assert sum(int(n) for _, n in _csv(client, "removal")[1:]) == figures["removal"]["removed"] == 4
    notice("=cmd|' /C calc'!A0", START + DAY, [None])
    assert ["'=cmd|' /C calc'!A0", "1", "0", "1", "0", "0", "", ""] in _csv(client, "providers")


def test_the_transparency_report_gives_plain_figures_for_a_year_in_french() -> None:
    seed()
    client = verified("sam", "supervisor")
    page = client.get("/fr/console/statistics/transparency/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    figures = compute(since=START.replace(month=1), until=START.replace(year=2027, month=1))
    assert "Rapport de transparence" in html and "Du 2026-01-01 au 2026-12-31 (UTC)." in html
    assert f'id="t-matched">{figures["matches"]["sightings"]}<' in html and figures["matches"]["sightings"] == 6
    assert f'id="t-removed">{figures["removal"]["removed"]}<' in html and 'id="t-median">3 h 00 min<' in html
    french = client.get(f"/fr/console/statistics/?{PERIOD}").content.decode()
    assert "Notifications par fournisseur" in french and "Télécharger en CSV" in french


def test_a_bad_period_is_refused_with_a_clear_error() -> None:
    client = verified("sam", "supervisor")
    page = client.get(f"{URL}?since=2026-03-08&until=2026-03-01")
    assert page.status_code == 400 and b"Bad period: until must come after since" in page.content
    assert client.get(f"{URL}?since=soon").status_code == 400
    answer = client.get(f"{URL}providers.csv?year=nineteen")
    assert answer.status_code == 400 and answer["Content-Type"].startswith("text/plain")
    assert client.get(f"{URL}transparency/?year=1999").status_code == 400
    assert client.get(f"{URL}nothing.csv?{PERIOD}").status_code == 404


def test_analysts_are_refused_and_visitors_sent_to_the_login_page() -> None:
    analyst = verified("ana", "analyst")
    for path in (URL, f"{URL}providers.csv", f"{URL}transparency/"):
        assert analyst.get(path).status_code == 403
        answer = Client().get(path)
        assert answer.status_code == 302 and answer["Location"].startswith("/en/accounts/login/?next=")
    assert verified("root", "administrator").get(URL).status_code == 200
