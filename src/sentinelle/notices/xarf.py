"""XARF v4 reports (category ``content``), one per notice item.

A ``csam`` item is reported as type ``csam`` (classification from
``SENTINELLE_XARF_CSAM_CLASSIFICATION``, detected by ``hash_match``). A ``harmful-abusive``
item is not child sexual abuse material in law, so it is not reported as such: it is type
``csem`` (child sexual exploitation material, the wider term), ``exploitation_type``
``distribution``, detected by ``manual_review`` (analysts confirmed the hash before it was
listed). Both carry the hashes in ``hash_values``, with PDQ beside the schema's own names.
The specification asks for no visual content in csam/csem reports: there is none.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Final

from sentinelle.notices.configuration import Sender
from sentinelle.notices.models import NoticeItem

VERSION: Final = "4.2.0"
_DOMAIN: Final = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$")
_MEDIA: Final = {"image": "image", "video": "video", "audio": "audio", "text": "text"}


def report(
    item: NoticeItem, *, sender: Sender, reference: str, classification: str, legal_basis: str
) -> dict[str, Any]:
    """The XARF v4 report for ``item`` (a plain JSON object)."""
    contact = {"org": sender.org[:200], "contact": sender.address, "domain": sender.domain}
    hashes = {kind: getattr(item, kind) for kind in ("md5", "sha1", "sha256", "pdq") if getattr(item, kind)}
    body: dict[str, Any] = {
        "xarf_version": VERSION,
        "report_id": str(item.report_id),
        "timestamp": time(item.first_seen),
        "reporter": contact,
        "sender": contact,
        "source_identifier": item.ip or item.host,
        "category": "content",
        "url": item.url,
        "evidence_source": "crawler",
        "verified_at": time(item.last_verified),
        "verification_method": "automated_crawler",
        "confidence": 1.0,
        "description": legal_basis[:1000],
        "hash_values": hashes,
        "tags": [f"reference:{reference.lower()}", f"category:{item.category}"],
    }
    if _DOMAIN.match(item.host):
        body["domain"] = item.host
    media = _MEDIA.get(item.mime.partition("/")[0])
    if item.category == "csam":
        body.update(type="csam", classification=classification, detection_method="hash_match",
                    content_removed=False)
        if media:
            body["media_type"] = media
    else:
        body.update(type="csem", exploitation_type="distribution", detection_method="manual_review")
        if media in ("image", "video"):
            body["evidence_type"] = [f"{media}s"]
    return body


def time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
