"""Tables as CSV: a header row, the csv module's quoting, and cells that a spreadsheet would
read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
prefixed with a quote, so a provider's name cannot run in the analyst's spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any, Final

from django.http import HttpResponse

from sentinelle.statistics.period import Period
from sentinelle.statistics.services import Table

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """The text of one cell: numbers as they are, None empty, risky text quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def as_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows([cell(value) for value in row] for row in table.rows)
    return out.getvalue()


def csv_response(table: Table, period: Period) -> HttpResponse:
    name = f"sentinelle-{table.name}-{period.since.date().isoformat()}-{period.last_day.isoformat()}.csv"
    response = HttpResponse(as_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
