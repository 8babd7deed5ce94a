"""The referral package: one JSON document (format ``sentinelle-referral/1``) of what was
reported, what was found, where it is hosted, what was asked of the host, and the audit trail
of those objects. Hashes and metadata only: the package never holds a picture's bytes.

The document is built from the database as it stands, serialised canonically (keys sorted,
two-space indent, UTF-8, a final newline) and stored as produced: its SHA-256 identifies it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final

from django.db.models import Q

from sentinelle.attribution.models import Attribution
from sentinelle.audit.models import AuditEvent
from sentinelle.console.dossier import report_dossier
from sentinelle.console.models import ReportOutcome
from sentinelle.notices.models import NoticeItem
from sentinelle.sightings.models import Sighting
from sentinelle.tipline.models import Report

FORMAT: Final = "sentinelle-referral/1"


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def contact_state(report: Report, include: bool) -> str:
    """``included``, ``withheld`` (not asked for, or not allowed), ``erased`` or ``anonymous``."""
    if report.contact_purged_at is not None:
        return "erased"
    if not report.has_contact:
        return "anonymous"
    return "included" if include else "withheld"


def _report(report: Report, include_contact: bool) -> dict[str, Any]:
    outcome = ReportOutcome.objects.filter(report=report).first()
    state = contact_state(report, include_contact)
    return {
        "reference": report.reference, "category": report.category, "danger_now": report.danger_now,
        "received_at": _when(report.received_at), "language": report.language,
        "when_happened": report.when_happened, "what_happened": report.what_happened,
        "additions": [{"received_at": _when(a.received_at), "text": a.text} for a in report.additions.order_by("id")],
        "outcome": outcome.outcome if outcome else None,
        "reporter_contact_state": state,
        "reporter_contact": {"name": report.contact_name, "email": report.contact_email,
                             "phone": report.contact_phone} if state == "included" else None,
    }


def _urls(report: Report) -> tuple[list[dict[str, Any]], list[Any], list[Any]]:
    given, sightings, items = [], [], []
    for dossier in report_dossier(report):
        request = dossier.request
        given.append({"url": dossier.given.url, "not_crawled_because": dossier.given.refusal or None,
                      "crawl": {"status": request.status, "attempts": request.attempts} if request else None})
        sightings += dossier.sightings
        items += dossier.items
    return given, sightings, items


def _sighting(sighting: Sighting) -> dict[str, Any]:
    media = sighting.media
    return {
        "url": sighting.url, "page": sighting.page.url if sighting.page_id else None,
        "seen_at": _when(sighting.seen_at), "ip": sighting.ip, "http_status": sighting.http_status,
        "media": {"sha256": media.sha256, "md5": media.md5, "sha1": media.sha1, "pdq": media.pdq or None,
                  "pdq_quality": media.pdq_quality, "mime": media.mime, "size": media.size,
                  "width": media.width, "height": media.height},
        "matches": [{"list": m.list_name, "category": m.category, "signal_type": m.signal_type, "hash": m.hash,
                     "distance": m.distance, "transform": m.transform, "confirmed": m.confirmed_reference}
                    for m in sorted(sighting.matches.all(), key=lambda m: (m.list_name, m.signal_type, m.hash))],
    }


def _hosting(keys: Iterable[str]) -> list[dict[str, Any]]:
    rows = Attribution.objects.filter(url_key__in=set(keys)).select_related("provider").order_by("url", "id")
    return [{
        "url": a.url, "host": a.host, "ip": a.address, "asn": a.asn, "as_name": a.as_name, "country": a.country,
        "network": a.network, "provider": a.provider.name if a.provider else None,
        "provider_slug": a.provider.slug if a.provider else None, "cdn": a.cdn or None, "origin_ip": a.origin_ip,
        "status": a.status, "attributed": _when(a.attributed),
    } for a in rows]


def _item(item: NoticeItem) -> dict[str, Any]:
    notice = item.notice
    return {
        "report_id": str(item.report_id), "notice": notice.reference, "recipient": notice.recipient_name,
        "recipient_provider": notice.recipient_provider or None, "notice_status": notice.status,
        "notice_sent_at": _when(notice.sent_at), "url": item.url, "host": item.host, "ip": item.ip,
        "sha256": item.sha256, "md5": item.md5 or None, "sha1": item.sha1 or None, "pdq": item.pdq or None,
        "category": item.category, "status": item.status, "first_seen": _when(item.first_seen),
        "last_verified": _when(item.last_verified), "removed_at": _when(item.removed_at),
        "time_to_removal_seconds": item.time_to_removal.total_seconds() if item.time_to_removal else None,
        "retracted_at": _when(item.retracted_at), "retraction_reason": item.retraction_reason or None,
        "reminders": item.reminders, "escalations": item.escalations, "flag": item.analyst_flag or None,
    }


def _audit(report: Report | None, items: list[NoticeItem], crawl_ids: set[int], up_to: int) -> list[dict[str, Any]]:
    """Events about the report, its crawl requests and the notices of the items (only those of a
    notice's events that name no item, or name one of these), up to event ``up_to``."""
    wanted = Q(target_type="notice", target_id__in={i.notice.reference for i in items if i.notice.reference})
    wanted |= Q(target_type="crawl_request", target_id__in={str(pk) for pk in crawl_ids})
    if report is not None:
        wanted |= Q(target_type="tipline.report", target_id=str(report.pk))
    referred = {str(i.report_id) for i in items}
    trail = []
    for event in AuditEvent.objects.filter(wanted, seq__lte=up_to).order_by("seq"):
        if event.target_type == "notice" and not _about(event.details, referred):
            continue
        trail.append({"seq": event.seq, "created": _when(event.created), "action": event.action,
                      "actor": f"{event.actor_kind}:{event.actor}", "target": f"{event.target_type}:{event.target_id}",
                      "before": event.before, "after": event.after, "details": event.details, "hash": event.hash})
    return trail


def _about(details: Any, referred: set[str]) -> bool:
    if not isinstance(details, dict):
        return True
    named = [details["item"]] if isinstance(details.get("item"), str) else []
    named += [n for n in details.get("items", []) if isinstance(n, str)] if isinstance(details.get("items"), list) else []
    return not named or bool(referred.intersection(named))


def build(*, header: dict[str, Any], report: Report | None, items: Iterable[NoticeItem], include_contact: bool,
          audit_seq: int) -> dict[str, Any]:
    """The package (a dict) for ``report`` and/or ``items``; ``header`` names the referral."""
    given: list[dict[str, Any]] = []
    sightings: list[Any] = []
    chosen = list(items)
    if report is not None:
        given, sightings, found = _urls(report)
        chosen += found
    unique_items = sorted({i.pk: i for i in chosen}.values(), key=lambda i: i.pk)
    by_sighting = {s.pk: s for s in sightings}
    for item in unique_items:
        if item.sighting_id and item.sighting_id not in by_sighting:
            by_sighting[item.sighting_id] = item.sighting
    seen = sorted(by_sighting.values(), key=lambda s: (s.seen_at, s.pk))
    keys = {i.url_key for i in unique_items} | {s.url_key for s in seen} | {s.page.url_key for s in seen if s.page_id}
    crawl_ids = {s.crawl_request_id for s in seen if s.crawl_request_id}
    crawl_ids |= {u.crawl_request_id for u in report.urls.all() if u.crawl_request_id} if report else set()
    return {
        "format": FORMAT, **header,
        "report": _report(report, include_contact) if report is not None else None,
        "reported_urls": given,
        "sightings": [_sighting(s) for s in seen],
        "hosting": _hosting(keys),
        "notice_items": [_item(i) for i in unique_items],
        "audit": {"up_to_seq": audit_seq, "events": _audit(report, unique_items, crawl_ids, audit_seq)},
    }


def serialise(package: dict[str, Any]) -> str:
    """The canonical text of a package (what is stored, downloaded and hashed)."""
    return json.dumps(package, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
