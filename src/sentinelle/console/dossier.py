"""Everything the crawler found for a report, gathered per URL for its page.

For each URL the reporter gave: the crawl request and its status (or why the URL was never
queued), the sightings of media on it with their matches (list, category, distance), the
attribution of the page and of each media URL (provider, country, open flags), and the notice
items for those URLs with their status. Only hashes and metadata: never a picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from sentinelle.attribution.models import Attribution, AttributionFlag
from sentinelle.notices.models import NoticeItem
from sentinelle.sightings.models import Sighting
from sentinelle.tipline.models import Report, ReportUrl


@dataclass
class UrlDossier:
    given: ReportUrl
    request: Any = None  #: the CrawlRequest, or None when the URL was refused
    sightings: list[Any] = field(default_factory=list)  #: Sighting rows, matches prefetched
    attributions: list[Any] = field(default_factory=list)
    flags: list[Any] = field(default_factory=list)  #: open AttributionFlag rows
    items: list[Any] = field(default_factory=list)  #: NoticeItem rows, notice selected


def _sightings(request: Any) -> list[Any]:
    found = Sighting.objects.filter(
        Q(crawl_request=request) | Q(page__url_key=request.url_key) | Q(url_key=request.url_key)
    )
    found = found.select_related("media", "page", "crawl_request").prefetch_related("matches")
    return list(found.order_by("seen_at", "id").distinct())


def url_dossier(given: ReportUrl) -> UrlDossier:
    request = given.crawl_request
    dossier = UrlDossier(given=given, request=request)
    if request is None:
        return dossier
    dossier.sightings = _sightings(request)
    keys = {request.url_key} | {sighting.url_key for sighting in dossier.sightings}
    dossier.attributions = list(
        Attribution.objects.filter(url_key__in=keys).select_related("provider").order_by("url", "id")
    )
    dossier.flags = list(AttributionFlag.objects.filter(url_key__in=keys, open=True).order_by("created", "id"))
    sighting_ids = [sighting.pk for sighting in dossier.sightings]
    dossier.items = list(
        NoticeItem.objects.filter(Q(url_key__in=keys) | Q(sighting_id__in=sighting_ids))
        .select_related("notice").order_by("id").distinct()
    )
    return dossier


def report_dossier(report: Report) -> list[UrlDossier]:
    urls = report.urls.select_related("crawl_request").order_by("id")
    return [url_dossier(given) for given in urls]
