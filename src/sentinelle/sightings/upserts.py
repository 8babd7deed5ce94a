"""Hosts, pages and media found or created by their keys, safe against concurrent writers.

Each is created with ``get_or_create`` (a writer that loses the race reads the winner's
row) and then brought up to date with conditional ``UPDATE``s, so two crawls recording the
same page or file out of order still leave the earliest ``first_seen`` and the latest
``last_seen``. Call these inside a transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sentinelle.crawl.normalize import NormalizedUrl
from sentinelle.hashing import PdqPath
from sentinelle.sightings.models import Host, Media, Page


def host_row(name: str, seen_at: datetime) -> Host:
    host: Host
    host, created = Host.objects.get_or_create(name=name, defaults={"first_seen": seen_at})
    if not created:
        Host.objects.filter(pk=host.pk, first_seen__gt=seen_at).update(first_seen=seen_at)
    return host


def page_row(url: NormalizedUrl, host: Host, seen_at: datetime, status: int | None) -> Page:
    page: Page
    page, created = Page.objects.get_or_create(
        url_key=url.key,
        defaults={
            "url": url.url,
            "host": host,
            "first_seen": seen_at,
            "last_seen": seen_at,
            "last_status": status,
        },
    )
    if created:
        return page
    latest: dict[str, Any] = {"last_seen": seen_at}
    if status is not None:
        latest["last_status"] = status
    Page.objects.filter(pk=page.pk, first_seen__gt=seen_at).update(first_seen=seen_at)
    Page.objects.filter(pk=page.pk, last_seen__lte=seen_at).update(**latest)
    page.refresh_from_db()
    return page


def media_row(values: dict[str, Any], seen_at: datetime, *, lock: bool = False) -> Media:
    """The media with ``values["sha256"]``, created or completed.

    A stored PDQ is replaced only by a reference-path one (the reference wins, DESIGN.md);
    missing dimensions are filled in. With ``lock`` the row stays locked until the end of
    the transaction (recording matches and storing review media serialise on it).
    """
    media: Media
    media, created = Media.objects.get_or_create(
        sha256=values["sha256"], defaults={**values, "first_seen": seen_at}
    )
    if not created:
        complete_media(media, values, seen_at)
    if lock:
        media = Media.objects.select_for_update().get(pk=media.pk)
    return media


def media_changes(media: Media, values: dict[str, Any], seen_at: datetime) -> dict[str, Any]:
    """What completing ``media`` with ``values`` seen at ``seen_at`` changes (nothing: {}),
    judged from the row as read: the earliest ``first_seen``, a reference PDQ over any other
    (or any PDQ where there is none), dimensions where there are none."""
    changes: dict[str, Any] = {}
    if media.first_seen > seen_at:
        changes["first_seen"] = seen_at
    if values["pdq"]:
        reference = values["pdq_path"] == PdqPath.REFERENCE
        if (media.pdq_path != PdqPath.REFERENCE) if reference else media.pdq == "":
            changes.update({key: values[key] for key in ("pdq", "pdq_quality", "pdq_path")})
            changes["problem"] = ""
    if values["width"] is not None and media.width is None:
        changes.update(width=values["width"], height=values["height"])
    return changes


def complete_media(media: Media, values: dict[str, Any], seen_at: datetime) -> None:
    """Bring the stored row up to date (conditional ``UPDATE``s: a concurrent writer's newer
    values stand), then ``media`` from it."""
    if not media_changes(media, values, seen_at):
        return
    rows = Media.objects.filter(pk=media.pk)
    changed = rows.filter(first_seen__gt=seen_at).update(first_seen=seen_at)
    if values["pdq"]:
        pdq = {key: values[key] for key in ("pdq", "pdq_quality", "pdq_path")} | {"problem": ""}
        if values["pdq_path"] == PdqPath.REFERENCE:
            changed += rows.exclude(pdq_path=PdqPath.REFERENCE).update(**pdq)
        else:
            changed += rows.filter(pdq="").update(**pdq)
    if values["width"] is not None:
        changed += rows.filter(width__isnull=True).update(
            width=values["width"], height=values["height"]
        )
    if changed:
        media.refresh_from_db()
