"""Helpers of the classification tests: review items made as the crawler makes them (a
confirmed page, its unknown media's bytes kept; media matching an unverified list left for an
analyst by the notice intake), and staff logged in with both factors (the console tests' helper).

Every picture is a benign generated one (tests/support/pictures.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sentinelle.audit.services import Actor
from sentinelle.banks.models import StoredList
from sentinelle.banks.services import import_list
from sentinelle.engine.matcher import Matcher
from sentinelle.engine.scan import ScanSettings, scan_bytes
from sentinelle.lists import HashList, ListEntry
from sentinelle.notices import wiring
from sentinelle.notices.from_matches import run
from sentinelle.review.services import store_review_media
from sentinelle.sightings.models import Media, Sighting
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_sighting
from support.console_login import PASSWORD, staff
from support.pictures import draw_picture, encode

__all__ = ["PASSWORD", "staff"]
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
PAGE = "https://gallery.example.net/album/1"
CRAWLER = Actor.system("crawler-test")


def picture(seed: int) -> bytes:
    return encode(draw_picture(seed), "JPEG", quality=90)


def listed(name: str, data: bytes, *, verified: bool, category: str = "csam") -> StoredList:
    """A stored list holding the SHA-256 of ``data`` (an audited import)."""
    seen = SeenMedia.from_bytes(data)
    import_list(HashList(name, [ListEntry("sha256", seen.sha256)], category=category, verified=verified),
                actor=Actor.user("list-keeper"))
    return StoredList.objects.get(name=name)


def sighted(data: bytes, url: str, *, page: str = PAGE, run_label: str = "run-1",
            reference: bool = False) -> Sighting:
    """Hash and match ``data`` against every stored list and record it on ``page``, as the
    crawler does (matches confirmed on the reference path; its PDQ made on the fast path unless
    ``reference``)."""
    from sentinelle.banks.services import load_lists

    media, matches = scan_bytes(data, Matcher(load_lists()), ScanSettings())
    found = [FoundMatch(m.list, m.signal_type, m.hash, m.distance, True, category=m.category or "",
                        transform=m.transform or "") for m in matches]
    seen = SeenMedia.from_bytes(data) if reference else SeenMedia.from_bytes(data, media)
    sighting, _ = record_sighting(seen, url=url, page_url=page, seen_at=START,
                                  matches=found, run=run_label, http_status=200)
    return sighting


def kept_item(seed: int, *, page: str = PAGE, reference: bool = False) -> Media:
    """Unknown media on a confirmed page, its bytes kept for review (as the crawler does)."""
    known = picture(1000 + seed)
    if not StoredList.objects.filter(name="benign-known").exists():
        listed("benign-known", known, verified=True)
    else:
        import_list(HashList("benign-known", [ListEntry("sha256", SeenMedia.from_bytes(known).sha256)]),
                    actor=Actor.user("list-keeper"))
    sighted(known, f"{page}/known-{seed}.jpg", page=page)
    data = picture(seed)
    sighting = sighted(data, f"{page}/unknown-{seed}.jpg", page=page, reference=reference)
    assert not sighting.matches.exists()
    store_review_media(sighting.media, data, actor=CRAWLER)
    return sighting.media


def waiting_item(seed: int, *, list_name: str = "partner-unverified", keep: bool = True) -> tuple[Sighting, bytes]:
    """Media matching only an unverified list: the notice intake leaves it for an analyst."""
    data = picture(seed)
    if not StoredList.objects.filter(name=list_name).exists():
        listed(list_name, data, verified=False)
    else:
        import_list(HashList(list_name, [ListEntry("sha256", SeenMedia.from_bytes(data).sha256)]),
                    actor=Actor.user("list-keeper"))
    sighting = sighted(data, f"https://cdn.example.net/waiting-{seed}.jpg")
    assert sighting.matches.filter(list_name=list_name).exists()
    if keep:
        store_review_media(sighting.media, data, actor=CRAWLER)
    return sighting, data


def intake_pass(now: datetime = START) -> Any:
    return run(attributor=wiring.current().attributor(), actor=Actor.system("matcher"), now=now)
