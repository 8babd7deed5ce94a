"""A report with everything a referral gathers: the tipline's report (with contact details),
the crawler's sighting and match, the attribution of the media's address, and a notice sent
for it through the notices' own services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sentinelle import clock
from sentinelle.attribution.models import Attribution, Provider
from sentinelle.audit.services import Actor
from sentinelle.notices.items import ItemInput, ListedHash
from sentinelle.notices.models import Notice, NoticeItem
from sentinelle.notices.outbox import deliver
from sentinelle.notices.services import add_items, request_send
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_sighting
from sentinelle.tipline.models import Report
from sentinelle.tipline.services import submit_report
from sentinelle.tipline.validation import ReportInput
from support.notice_builders import T0, digest, recipient

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MEDIA_URL = "https://cdn.example.net/a1b2c3.jpg"


@dataclass
class Case:
    report: Report
    sighting: Any
    notice: Notice
    item: NoticeItem


def case(*, contact: bool = True) -> Case:
    extra = {"contact_name": "Pat Parent", "contact_email": "parent@example.org"} if contact else {}
    report = submit_report(ReportInput(category="csam", danger_now=True, urls="https://files.example.net/gallery",
                                       what_happened=f"A gallery {HOSTILE}", language="en", **extra),  # type: ignore[arg-type]
                           now=T0).report
    request = report.urls.get().crawl_request
    sha = digest("sha256", 7)
    media = SeenMedia(sha256=sha, md5=digest("md5", 7), sha1=digest("sha1", 7), size=2048, mime="image/jpeg")
    matches = [FoundMatch("known-list", "md5", digest("md5", 7), 0, True, category="csam")]
    sighting, _ = record_sighting(media, url=MEDIA_URL, page_url=request.url, seen_at=T0, matches=matches,
                                  crawl_request=request, ip="192.0.2.44")
    host = Provider.objects.create(slug="example-hosting", name="Example Hosting")
    Attribution.objects.create(url=sighting.url, url_key=sighting.url_key, host="cdn.example.net",
                               address="192.0.2.44", asn=64500, as_name="EXAMPLE-AS", country="NL", provider=host,
                               status="ok", chain={}, attributed=T0)
    given = ItemInput(url=MEDIA_URL, sha256=sha, md5=digest("md5", 7), sha1=digest("sha1", 7), category="csam",
                      first_seen=T0, last_verified=T0, ip="192.0.2.44", sighting_id=sighting.pk,
                      matched=(ListedHash("known-list", "md5", digest("md5", 7)),))
    intake = add_items(recipient(), [given], actor=Actor.system("intake"), now=T0)
    assert intake.notice is not None
    request_send(str(intake.notice.reference), actor=Actor.user("operator-1"), now=T0)
    with clock.using(clock.ManualClock(T0 + timedelta(minutes=1))):
        assert deliver(intake.notice.pk, worker="test-worker") == "sent"
    notice = Notice.objects.get(pk=intake.notice.pk)
    return Case(report, sighting, notice, notice.items.get())
