"""Writing a batch of page visits and fetched files in one transaction (on the writer thread).

:func:`record_batch` is what :class:`.sighting_batches.SightingBatches` runs on
:class:`.database.Database`'s writer thread. Each record is checked first: a bad one (an
invalid URL, a value the database would refuse) gets its error as its answer and is left
out. The others are written in one transaction, pages (:func:`~sentinelle.sightings.bulk
.record_pages`) then sightings (:func:`~sentinelle.sightings.bulk.write_sightings`, under the
crawl's run label, so recording again records nothing twice). If that transaction fails (the
database went away...), each record is tried again in a transaction of its own, so one
record's failure is its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from sentinelle.crawl.models import CrawlRequest
from sentinelle.crawl.recording import found, seen_media
from sentinelle.crawl.visits import MediaOutcome
from sentinelle.sightings.bulk import record_pages, write_sightings
from sentinelle.sightings.observations import Observation
from sentinelle.sightings.prepared import PageSeen, Prepared, prepare, prepare_visit


@dataclass(frozen=True)
class Recorded:
    page_url: str | None
    created: bool


@dataclass(frozen=True)
class MediaRecord:
    """A fetched file to record once per page showing it (None: a file crawled directly)."""

    outcome: MediaOutcome
    page_urls: list[str | None]
    run: str
    request_pk: int | None
    page_status: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class PageVisit:
    """A page fetched (its status and when), to record on its own."""

    url: str
    seen_at: datetime
    status: int | None


Record = MediaRecord | PageVisit
#: A file's sightings (one per page, in order), None for a page visit, or why it failed.
Answer = list[Recorded] | None | Exception
_Ready = tuple[int, PageSeen | list[Prepared]]


def record_batch(records: Sequence[Record]) -> list[Answer]:
    """Write ``records`` (see the module); one answer per record, in order."""
    answers: list[Answer] = [None] * len(records)
    ready: list[_Ready] = []
    requests = _requests(records)
    for index, record in enumerate(records):
        try:
            ready.append((index, _prepare(record, requests)))
        except Exception as error:  # a bad record fails alone, before anything is written
            answers[index] = error
    try:
        with transaction.atomic():
            written = _write(records, ready)
    except Exception:  # each on its own: whatever fails again fails alone
        written = {}
        for one in ready:
            try:
                with transaction.atomic():
                    written.update(_write(records, [one]))
            except Exception as error:
                written[one[0]] = error
    for index, answer in written.items():
        answers[index] = answer
    return answers


def _requests(records: Sequence[Record]) -> dict[int, CrawlRequest]:
    pks = {r.request_pk for r in records if isinstance(r, MediaRecord) and r.request_pk}
    return CrawlRequest.objects.in_bulk(pks) if pks else {}


def _prepare(record: Record, requests: dict[int, CrawlRequest]) -> PageSeen | list[Prepared]:
    if isinstance(record, PageVisit):
        return prepare_visit(record.url, seen_at=record.seen_at, status=record.status)
    request = None
    if record.request_pk is not None:
        request = requests.get(record.request_pk)
        if request is None:
            raise CrawlRequest.DoesNotExist(f"no crawl request {record.request_pk}")
    return [prepare(observed) for observed in _observations(record, request)]


def _write(records: Sequence[Record], ready: list[_Ready]) -> dict[int, Answer]:
    record_pages([prepared for _, prepared in ready if isinstance(prepared, PageSeen)])
    files = [(index, prepared) for index, prepared in ready if isinstance(prepared, list)]
    created = iter(write_sightings([one for _, prepared in files for one in prepared]))
    answers: dict[int, Answer] = {index: None for index, _ in ready}
    for index, _ in files:
        record = records[index]
        assert isinstance(record, MediaRecord)
        answers[index] = [Recorded(page, next(created)[1]) for page in record.page_urls]
    return answers


def _observations(record: MediaRecord, request: CrawlRequest | None) -> list[Observation]:
    outcome = record.outcome
    media = seen_media(outcome.hashed)
    matches = tuple(found(match) for match in outcome.hashed.matches)
    return [
        Observation(
            media,
            url=outcome.url,
            seen_at=outcome.seen_at,
            page_url=page_url,
            page_status=record.page_status.get(page_url) if page_url else None,
            ip=outcome.ip,
            http_status=outcome.status,
            matches=matches,
            run=record.run,
            crawl_request=request,
        )
        for page_url in record.page_urls
    ]
