"""Hosts, pages and media of a whole batch found or created at once (see :mod:`.bulk`).

Each function reads the batch's rows with one query, inserts the missing ones with one
``INSERT``, and brings existing rows up to date as :mod:`.upserts` would, row by row in the
batch's order, with the same conditional ``UPDATE``\\ s, issued only where a value changes.
Call these inside a transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sentinelle.sightings.models import Host, Media, Page
from sentinelle.sightings.prepared import PageSeen, Prepared
from sentinelle.sightings.upserts import complete_media, media_changes


def hosts(seen: Iterable[tuple[str, datetime]]) -> dict[str, Host]:
    """The host of each ``(name, seen_at)``, created or with its earliest ``first_seen``."""
    earliest: dict[str, datetime] = {}
    for name, when in seen:
        earliest[name] = min(earliest.get(name, when), when)
    rows = {host.name: host for host in Host.objects.filter(name__in=earliest)}
    missing = [Host(name=name, first_seen=when) for name, when in earliest.items() if name not in rows]
    Host.objects.bulk_create(missing)
    for name, when in earliest.items():
        host = rows.get(name)
        if host is not None and host.first_seen > when:
            Host.objects.filter(pk=host.pk, first_seen__gt=when).update(first_seen=when)
            host.first_seen = when
    rows.update((host.name, host) for host in missing)
    return rows


def pages(visits: Sequence[PageSeen], on: dict[str, Host]) -> dict[str, Page]:
    """The page of each visit by URL key, as ``page_row`` would leave it after all of them."""
    by_page: dict[str, list[PageSeen]] = {}
    for visit in visits:
        by_page.setdefault(visit.url.key, []).append(visit)
    rows = {page.url_key: page for page in Page.objects.filter(url_key__in=by_page)}
    missing: list[Page] = []
    for key, seen in by_page.items():
        row = rows.get(key)
        if row is None:  # created by the first visit, then brought up to date by the others
            first = seen[0]
            rows[key] = row = Page(
                url=first.url.url, url_key=key, host=on[first.url.host], first_seen=first.when,
                last_seen=first.when, last_status=first.status,
            )  # fmt: skip
            _visited(row, seen[1:])
            missing.append(row)
        else:
            _update_page(row, seen)
    Page.objects.bulk_create(missing)
    return rows


def _visited(page: Page, seen: Sequence[PageSeen]) -> bool:
    """Apply ``seen`` to ``page`` in memory as ``page_row`` would; True when it changed."""
    before = (page.first_seen, page.last_seen, page.last_status)
    for visit in seen:
        page.first_seen = min(page.first_seen, visit.when)
        if page.last_seen <= visit.when:
            page.last_seen = visit.when
            if visit.status is not None:
                page.last_status = visit.status
    return before != (page.first_seen, page.last_seen, page.last_status)


def _update_page(row: Page, seen: list[PageSeen]) -> None:
    stored_first, stored_last, stored_status = row.first_seen, row.last_seen, row.last_status
    if not _visited(row, seen):
        return
    rows = Page.objects.filter(pk=row.pk)
    if row.first_seen != stored_first:
        rows.filter(first_seen__gt=row.first_seen).update(first_seen=row.first_seen)
    latest: dict[str, object] = {}
    if row.last_seen != stored_last:
        latest["last_seen"] = row.last_seen
    if row.last_status != stored_status:
        latest["last_status"] = row.last_status
    if latest:
        rows.filter(last_seen__lte=row.last_seen).update(**latest)


def media(new: Sequence[Prepared]) -> dict[str, Media]:
    """The media of each observation by SHA-256, created or completed as ``media_row`` would;
    media with matches stay locked until the end of the transaction."""
    files: dict[str, list[Prepared]] = {}
    for one in new:
        files.setdefault(one.media["sha256"], []).append(one)
    rows = {row.sha256: row for row in Media.objects.filter(sha256__in=files)}
    missing: list[Media] = []
    for sha256, seen in files.items():
        row = rows.get(sha256)
        if row is None:  # created from the first observation, completed by the others
            rows[sha256] = row = Media(**seen[0].media, first_seen=seen[0].when)
            for one in seen[1:]:
                for name, value in media_changes(row, one.media, one.when).items():
                    setattr(row, name, value)
            missing.append(row)
        else:
            for one in seen:
                complete_media(row, one.media, one.when)
    Media.objects.bulk_create(missing)
    matched = [rows[sha256].pk for sha256, seen in files.items() if any(o.found for o in seen)]
    if matched:  # held until the end of the transaction, as media_row(lock=True) does
        list(Media.objects.select_for_update().filter(pk__in=matched).values_list("pk"))
    return rows
