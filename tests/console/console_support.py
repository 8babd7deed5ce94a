"""Helpers of the console tests: reports through the tipline's service, the crawler's findings
as rows, and staff logged in through HTTP with a TOTP code computed from the device's key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sentinelle.attribution.models import Attribution, AttributionFlag, Provider
from sentinelle.notices.models import Notice, NoticeItem
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_sighting
from sentinelle.tipline.models import Report
from sentinelle.tipline.services import submit_report
from sentinelle.tipline.validation import ReportInput
from support.console_login import PASSWORD as PASSWORD  # re-exported: tests import them from here
from support.console_login import staff as staff

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def report(urls: str = "https://files.example.net/gallery", *, danger: bool = False, hours: int = 0,
           **changes: Any) -> Report:
    values: dict[str, Any] = {"category": "csam", "danger_now": danger, "urls": urls,
                              "what_happened": "A gallery of pictures.", "language": "en", **changes}
    return submit_report(ReportInput(**values), now=START + timedelta(hours=hours)).report


def found(given: Report, *, sha: str = "a" * 64, matched: bool = True) -> Any:
    """What the crawler would record for the report's first URL: a sighting (and a match)."""
    request = given.urls.order_by("id").first().crawl_request
    media = SeenMedia(sha256=sha, md5=sha[:32], sha1=sha[:40], size=2048, mime="image/jpeg")
    matches = [FoundMatch("known-list", "md5", sha[:32], 0, True, category="A1")] if matched else []
    sighting, _ = record_sighting(media, url=f"https://cdn.example.net/{sha[:8]}.jpg", page_url=request.url,
                                  seen_at=START, matches=matches, crawl_request=request)
    return sighting


def attribute(sighting: Any, *, provider: str = "Example Hosting", country: str = "BE") -> None:
    host = Provider.objects.create(slug=provider.lower().replace(" ", "-"), name=provider)
    Attribution.objects.create(url=sighting.url, url_key=sighting.url_key, host="cdn.example.net",
                               country=country, provider=host, status="ok", chain={}, attributed=START)
    AttributionFlag.objects.create(url=sighting.url, url_key=sighting.url_key, host="cdn.example.net",
                                   reason="no-contact", created=START, updated=START)


def notice_item(sighting: Any, *, status: str = "open") -> NoticeItem:
    notice = Notice.objects.create(reference="SN-2026-000042", message_id="<n42@sentinelle.test>",
                                   recipient_key="hosting:example", recipient_name="Example Hosting",
                                   window_start=START, window_end=START, status="sent", email_state="sent",
                                   webhook_state="none", due_at=START)
    return NoticeItem.objects.create(notice=notice, url=sighting.url, url_key=sighting.url_key,
                                     host="cdn.example.net", sha256=sighting.media.sha256, category="A1",
                                     legal_basis="law", sighting=sighting, first_seen=START,
                                     last_verified=START, status=status)
