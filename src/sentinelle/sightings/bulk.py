"""Recording many sightings in one transaction, with a few queries for all of them.

:func:`record_sightings` leaves the database as :func:`.services.record_sighting` called once
per observation, in order, would: the same hosts, pages, media, sightings and matches, and the
same ``created`` answers (an observation whose sighting is recorded already, or earlier in the
same batch, writes nothing). Instead of a dozen queries per sighting it reads the batch's
sightings, hosts, pages, media and listed hashes at once, inserts what is new with one
``INSERT`` per table, and updates only the rows whose values change (with the same
conditional ``UPDATE``\\ s, so a concurrent writer's newer values stand).

It is one transaction: after a crash the whole batch is recorded or none of it. A unique key
another writer took since the batch read it (two crawlers recording the same page or file)
rolls the batch back, and each observation is then recorded on its own
(:func:`.services.record_observation`), which settles every such race.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from sentinelle.sightings import bulk_rows
from sentinelle.sightings.links import known_hash_ids
from sentinelle.sightings.models import Match, Page, Sighting
from sentinelle.sightings.observations import Observation
from sentinelle.sightings.prepared import PageSeen, Prepared, prepare
from sentinelle.sightings.services import record_observation, record_visit


def record_sightings(observations: Sequence[Observation]) -> list[tuple[Sighting, bool]]:
    """Record every observation (see the module); ``(sighting, created)`` for each, in order.

    Every observation is checked before anything is written: a bad one
    (:class:`~sentinelle.sightings.exceptions.InvalidObservation`, an invalid URL) refuses
    the batch and changes nothing.
    """
    return write_sightings([prepare(observed) for observed in observations])


def write_sightings(prepared: Sequence[Prepared]) -> list[tuple[Sighting, bool]]:
    """:func:`record_sightings` of checked observations."""
    try:
        with transaction.atomic():
            return _record(prepared)
    except IntegrityError:
        return [record_observation(one) for one in prepared]


def record_pages(visits: Sequence[PageSeen]) -> None:
    """Record checked page visits (:func:`.prepared.prepare_visit`) in one transaction, as
    :func:`.services.record_page` called for each in order would."""
    if not visits:
        return
    try:
        with transaction.atomic():
            bulk_rows.pages(visits, bulk_rows.hosts((v.url.host, v.when) for v in visits))
    except IntegrityError:
        for visit in visits:
            record_visit(visit)


def _record(prepared: Sequence[Prepared]) -> list[tuple[Sighting, bool]]:
    stored = {row.key: row for row in Sighting.objects.filter(key__in={p.key for p in prepared})}
    new: dict[str, Prepared] = {}
    answers: list[tuple[str, bool]] = []
    for one in prepared:
        created = one.key not in stored and one.key not in new
        answers.append((one.key, created))
        if created:
            new[one.key] = one
    if new:
        stored.update(_insert(list(new.values())))
    return [(stored[key], created) for key, created in answers]


def _insert(new: list[Prepared]) -> dict[str, Sighting]:
    visits = [PageSeen(one.page, one.when, one.page_status) for one in new if one.page]
    seen = [(one.media_url.host, one.when) for one in new] + [(v.url.host, v.when) for v in visits]
    on = bulk_rows.hosts(seen)
    pages = bulk_rows.pages(visits, on)
    media = bulk_rows.media(new)
    sightings = [
        Sighting(
            media=media[one.media["sha256"]],
            page=pages[one.page.key] if one.page else None,
            host=on[one.media_url.host],
            **one.fields,
        )
        for one in new
    ]
    Sighting.objects.bulk_create(sightings)
    _matches(new, sightings)
    _confirm(new, pages)
    return {str(sighting.key): sighting for sighting in sightings}


def _matches(new: list[Prepared], sightings: list[Sighting]) -> None:
    links = known_hash_ids(
        (match["list_name"], match["signal_type"], match["hash"])
        for one in new
        for match in one.found
        if match["known_hash"] is None
    )
    rows: list[Match] = []
    for one, sighting in zip(new, sightings, strict=True):
        for match in one.found:
            columns = {name: value for name, value in match.items() if name != "known_hash"}
            known = match["known_hash"]
            if known is not None:
                rows.append(Match(sighting=sighting, known_hash=known, **columns))
            else:
                slot = (match["list_name"], match["signal_type"], match["hash"])
                rows.append(Match(sighting=sighting, known_hash_id=links.get(slot), **columns))
    Match.objects.bulk_create(rows)


def _confirm(new: list[Prepared], pages: dict[str, Page]) -> None:
    earliest: dict[str, datetime] = {}
    for one in new:
        if one.page is not None and any(match["confirmed_reference"] for match in one.found):
            earliest[one.page.key] = min(earliest.get(one.page.key, one.when), one.when)
    for key, when in earliest.items():
        Page.objects.filter(pk=pages[key].pk).filter(
            Q(confirmed=False) | Q(confirmed_at__gt=when)
        ).update(confirmed=True, confirmed_at=when)
