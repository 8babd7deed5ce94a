"""The statistics pages: the overview of a period with its charts, a CSV of each table, and the
transparency report. Open to verified users with ``stats:view`` or ``audit:view``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sentinelle.accounts.access import requires, user_permissions
from sentinelle.accounts.permissions import Permission
from sentinelle.statistics import charts, period, services
from sentinelle.statistics.exceptions import BadPeriod
from sentinelle.statistics.export import csv_response

View = Callable[..., HttpResponse]
ALLOWED: Final = frozenset({Permission.STATS_VIEW, Permission.AUDIT_VIEW})


def allowed(view: View) -> View:
    """A verified user holding ``stats:view`` or ``audit:view``; 403 otherwise."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not ALLOWED & user_permissions(request.user):
            raise PermissionDenied("stats:view")
        return view(request, *args, **kwargs)

    return requires()(checked)


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    other = "fr" if (get_language() or "en").startswith("en") else "en"
    context = {**context, "other_language": other, "other_path": translate_url(request.get_full_path(), other)}
    response = render(request, f"statistics/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _charts(found: services.Statistics) -> dict[str, str]:
    tables, figures = found.tables, found.figures
    removed = [(row["provider"], round(row["median_seconds"] / 3600, 2))
               for row in figures["providers"] if row["median_seconds"] is not None]
    none = _("Nothing in this period.")
    return {
        "matches": charts.column_chart("chart-matches", _("Matched sightings per %(step)s") % {"step": _(found.step)},
                                       [(str(d), n) for d, n in tables["matches"].rows], empty=none),
        "providers": charts.bar_chart("chart-providers", _("Items noticed per provider"),
                                      [(row[0], row[1]) for row in tables["providers"].rows], empty=none),
        "countries": charts.bar_chart("chart-countries", _("Items noticed per country"),
                                      [(row[0], row[1]) for row in tables["countries"].rows], empty=none),
        "removal": charts.column_chart("chart-removal", _("Removals by time to removal"),
                                       tables["removal"].rows, empty=none),
        "median": charts.bar_chart("chart-median", _("Median time to removal per provider (hours)"), removed,
                                   empty=none),
    }


@allowed
def overview(request: HttpRequest) -> HttpResponse:
    try:
        chosen = period.from_query(request.GET)
    except BadPeriod as exc:
        return _page(request, "overview.html", {"error": _("Bad period: %(reason)s") % {"reason": exc},
                                                "query": request.GET}, status=400)
    found = services.collect(chosen)
    return _page(request, "overview.html", {"stats": found, "figures": found.figures, "charts": _charts(found),
                                            "tables": found.tables, "query": request.GET})


@allowed
def export(request: HttpRequest, table: str) -> HttpResponse:
    try:
        chosen = period.from_query(request.GET)
    except BadPeriod as exc:
        return HttpResponse(f"Bad period: {exc}\n", status=400, content_type="text/plain; charset=utf-8")
    tables = services.collect(chosen).tables
    if table not in tables:
        raise Http404(table)
    return csv_response(tables[table], chosen)


@allowed
def transparency(request: HttpRequest) -> HttpResponse:
    try:
        chosen = period.from_query(request.GET)
    except BadPeriod as exc:
        return _page(request, "transparency.html", {"error": _("Bad period: %(reason)s") % {"reason": exc}},
                     status=400)
    found = services.collect(chosen)
    return _page(request, "transparency.html", {"stats": found, "figures": found.figures, "tables": found.tables})
