"""Benign data for the console's screenshots (scripts/console_screenshots.py), made through the
project's own services so every page shows what it would after real work: tipline reports,
what the crawler found for one (a picture on a verified list and one unknown, both drawn by
tests/support/pictures.py), its attribution and an open flag, a notice sent for the match with
a dispute waiting, review items (one the analysts disagreed on), a referral, hash lists and
the audit events all of this wrote. Every address is under example.net; no real picture.

:func:`seed` needs Django set up on an empty, migrated database and returns what the pages
are addressed by.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))  # support.pictures

#: When the seeded work happened (fixed, so the screenshots do not change from run to run).
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PAGE = "https://files.example.net/gallery/"
#: What the notice intake and the outbox need (see docs/settings.md).
SETTINGS = {"SENTINELLE_NOTICE_FROM": "Example Hotline <notices@hotline.example>",
            "SENTINELLE_NOTICE_ORG": "Example Hotline", "SENTINELLE_PUBLIC_URL": "https://hotline.example"}
REPORTS = (  # category, a child in danger now, URLs, what happened, hours after START
    ("csam", False, PAGE, "A public gallery with pictures of children, linked from a forum thread.", 0),
    ("luring", True, "https://chat.example.net/room/9", "An adult asks children in this room for pictures.", 2),
    ("sextortion", False, "https://social.example.net/u/dark-lake", "Someone threatens to share my photos.", 5),
    ("other", False, "https://forum.example.net/t/4412", "A thread that trades links, in a language I do not read.", 7),
)


@dataclass(frozen=True)
class Seeded:
    report: str  #: the reference of the report with sightings, attribution and a notice item
    notice: str  #: the notice with a dispute waiting
    referral: str
    review_item: str  #: SHA-256 of an item waiting in the review queue (its bytes kept)
    disputed_item: str  #: SHA-256 of an item two analysts disagreed on


def _picture(seed: int) -> bytes:
    from support.pictures import draw_picture, encode

    return encode(draw_picture(seed), "JPEG", quality=90)


def _reports() -> list[str]:
    from sentinelle.tipline.services import submit_report
    from sentinelle.tipline.validation import ReportInput

    made = []
    for category, danger, urls, text, hours in REPORTS:
        given = ReportInput(category=category, danger_now=danger, urls=urls, what_happened=text, language="en",
                            contact_email="reporter@example.org" if hours == 0 else "")
        made.append(submit_report(given, now=START + timedelta(hours=hours)).report)
    return [str(report.reference) for report in made]


def _found(reference: str) -> tuple[Any, Any]:
    """The crawl of the report's page: one listed picture, one unknown; their attribution."""
    from sentinelle.attribution.models import Attribution, AttributionFlag, Provider
    from sentinelle.audit.services import Actor
    from sentinelle.banks.services import import_list
    from sentinelle.lists import HashList, ListEntry
    from sentinelle.review.services import store_review_media
    from sentinelle.sightings.observations import FoundMatch, SeenMedia
    from sentinelle.sightings.services import record_sighting
    from sentinelle.tipline.models import Report

    request = Report.objects.get(reference=reference).urls.order_by("id").first().crawl_request
    listed, unknown = SeenMedia.from_bytes(_picture(700)), _picture(701)
    import_list(HashList("partner-hotline", [ListEntry("sha256", listed.sha256), ListEntry("md5", listed.md5)],
                         category="csam", verified=True, source="partner hotline (example)"),
                actor=Actor.user("sue"))
    import_list(HashList("tip-sample", [ListEntry("md5", "0123456789abcdef0123456789abcdef")], category="csam"),
                actor=Actor.user("sue"))
    seen = START + timedelta(minutes=20)
    match = FoundMatch("partner-hotline", "sha256", listed.sha256, 0, True, category="csam")
    known, _ = record_sighting(listed, url=f"{PAGE}p/1041.jpg", page_url=request.url, seen_at=seen,
                               ip="192.0.2.44", http_status=200, matches=[match], crawl_request=request)
    other, _ = record_sighting(SeenMedia.from_bytes(unknown), url=f"{PAGE}p/1042.jpg", page_url=request.url,
                               seen_at=seen, ip="192.0.2.44", http_status=200, crawl_request=request)
    store_review_media(other.media, unknown, actor=Actor.system("crawler"))
    request.status, request.attempts, request.updated = "done", 1, seen
    request.save(update_fields=["status", "attempts", "updated"])
    host = Provider.objects.create(slug="example-hosting", name="Example Hosting", countries="NL")
    for url, key in ((request.url, request.url_key), (known.url, known.url_key), (other.url, other.url_key)):
        Attribution.objects.create(url=url, url_key=key, host="files.example.net", address="192.0.2.44",
                                   asn=64500, as_name="EXAMPLE-AS", country="NL", provider=host, status="ok",
                                   chain={}, attributed=seen)
    AttributionFlag.objects.create(url=other.url, url_key=other.url_key, host="files.example.net",
                                   reason="no-contact", created=seen, updated=seen)
    return known, other


def _notice(known: Any) -> tuple[str, Any]:
    """A notice for the listed picture, sent through the outbox, and the host's dispute."""
    from sentinelle import clock
    from sentinelle.audit.services import Actor
    from sentinelle.notices.items import ItemInput, ListedHash
    from sentinelle.notices.outbox import deliver
    from sentinelle.notices.recipients import NoticeRecipient
    from sentinelle.notices.services import add_items, request_send
    from sentinelle.responses.services import record_response
    from sentinelle.responses.validation import ResponseInput

    media, when = known.media, START + timedelta(hours=1)
    to = NoticeRecipient(key="provider:example-hosting", name="Example Hosting abuse desk",
                         email="abuse@hosting.example.net", language="en", role="host", provider="example-hosting")
    item = ItemInput(url=known.url, sha256=media.sha256, md5=media.md5, sha1=media.sha1, mime=media.mime,
                     ip="192.0.2.44", category="csam", first_seen=known.seen_at, last_verified=when,
                     sighting_id=known.pk, matched=(ListedHash("partner-hotline", "sha256", media.sha256),))
    notice = add_items(to, [item], actor=Actor.system("matcher"), now=when).notice
    assert notice is not None
    request_send(str(notice.reference), actor=Actor.user("sue"), now=when)
    with clock.using(clock.ManualClock(when + timedelta(minutes=1))):
        deliver(notice.pk, worker="worker-1")
    first = notice.items.get()
    record_response(str(notice.reference), ResponseInput(
        kind="dispute", submission_key="key-00000001", item=str(first.report_id), client_address="198.51.100.7",
        text="We looked at this file and believe it is a stock photo. Please check again."),
        now=when + timedelta(hours=20))
    return str(notice.reference), first


def _review() -> tuple[str, str]:
    """Two unknown pictures on a page with a listed one, kept for review; two analysts disagree
    on the second."""
    from sentinelle.audit.services import Actor
    from sentinelle.classification.services import classify
    from sentinelle.review.services import store_review_media
    from sentinelle.sightings.observations import FoundMatch, SeenMedia
    from sentinelle.sightings.services import record_sighting

    board, listed, made = "https://board.example.net/thread/88", SeenMedia.from_bytes(_picture(700)), []
    match = FoundMatch("partner-hotline", "sha256", listed.sha256, 0, True, category="csam")
    record_sighting(listed, url="https://img.example.net/700.jpg", page_url=board, matches=[match],
                    seen_at=START + timedelta(hours=3))  # the page is confirmed: its other media are kept
    for seed in (702, 703):
        data, seen = _picture(seed), START + timedelta(hours=3, minutes=seed - 700)
        sighting, _ = record_sighting(SeenMedia.from_bytes(data), url=f"https://img.example.net/{seed}.jpg",
                                      page_url=board, seen_at=seen)
        store_review_media(sighting.media, data, actor=Actor.system("crawler"))
        made.append(sighting.media)
    classify(made[1], "csam", actor=Actor.user("ana"), now=START + timedelta(hours=4))
    classify(made[1], "not-illegal", actor=Actor.user("bob"), now=START + timedelta(hours=4, minutes=12))
    return made[0].sha256, made[1].sha256


def seed() -> Seeded:
    from sentinelle.audit.services import Actor
    from sentinelle.referrals.services import create_referral
    from sentinelle.tipline.models import Report

    references = _reports()
    known, _ = _found(references[0])
    notice, item = _notice(known)
    waiting, disputed = _review()
    referral = create_referral(Report.objects.get(reference=references[0]), [item],
                               agency="National Child Exploitation Unit (example)",
                               note="Hosting provider disputes the notice; hashes match a partner's verified list.",
                               actor=Actor.user("ana"), now=START + timedelta(days=1, hours=2))
    return Seeded(references[0], notice, str(referral.reference), waiting, disputed)
