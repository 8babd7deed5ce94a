"""What the XARF v4 schemas (xarf-core, content-base, content-csam, content-csem) require of a
report, written out as checks: the required fields, their types and patterns, the enums."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

CATEGORIES = {"messaging", "content", "copyright", "connection", "vulnerability", "infrastructure", "reputation"}
CSAM_CLASSIFICATIONS = {"baseline", "A1", "A2", "B1", "B2"}
CSAM_DETECTION = {"hash_match", "ai_detection", "manual_review", "user_report", "automated_scan"}
CSEM_DETECTION = {"behavioral_analysis", "keyword_detection", "user_report", "ai_detection", "manual_review",
                  "law_enforcement_referral"}
CSEM_EXPLOITATION = {"grooming", "solicitation", "sextortion", "trafficking", "distribution", "production",
                     "possession"}
MEDIA_TYPES = {"image", "video", "audio", "text", "mixed"}
VERIFICATION = {"manual", "automated_crawler", "user_report", "honeypot", "threat_intelligence"}
TAG = re.compile(r"^[a-z0-9][a-z0-9_+-]*:[a-z0-9][a-z0-9_+-]*$")
DOMAIN = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$")
HASHES = {"md5": 32, "sha1": 40, "sha256": 64}


def problems(report: dict[str, Any]) -> list[str]:
    """Every way ``report`` breaks the rules (empty when it follows them)."""
    found: list[str] = []

    def need(condition: bool, text: str) -> None:
        if not condition:
            found.append(text)

    for name in ("xarf_version", "report_id", "timestamp", "reporter", "sender", "source_identifier",
                 "category", "type"):
        need(name in report, f"missing {name}")
    need(bool(re.fullmatch(r"4\.[0-9]+\.[0-9]+", str(report.get("xarf_version")))), "xarf_version")
    try:
        need(uuid.UUID(str(report.get("report_id"))).version == 4, "report_id is not a UUID v4")
    except ValueError:
        found.append("report_id is not a UUID")
    for name in ("timestamp", "verified_at"):
        if name in report:
            try:
                datetime.fromisoformat(str(report[name]).replace("Z", "+00:00"))
            except ValueError:
                found.append(f"{name} is not a date-time")
    for party in ("reporter", "sender"):
        contact = report.get(party, {})
        need(set(contact) == {"org", "contact", "domain"}, f"{party} has exactly org, contact, domain")
        need("@" in str(contact.get("contact")), f"{party}.contact is an email address")
    need(report.get("category") in CATEGORIES and report.get("category") == "content", "category is content")
    need(isinstance(report.get("url"), str) and "://" in report["url"], "content needs a url")
    need(report.get("verification_method", "manual") in VERIFICATION, "verification_method")
    need("domain" not in report or bool(DOMAIN.match(report["domain"])), "domain pattern")
    need(all(TAG.match(t) for t in report.get("tags", [])) and len(report.get("tags", [])) <= 20, "tags")
    need(len(report.get("description", "")) <= 1000, "description is at most 1000 characters")
    for kind, length in HASHES.items():
        value = report.get("hash_values", {}).get(kind)
        need(value is None or bool(re.fullmatch(f"[0-9a-fA-F]{{{length}}}", value)), f"hash_values.{kind}")
    if report.get("type") == "csam":
        need(report.get("classification") in CSAM_CLASSIFICATIONS, "csam needs a classification")
        need(report.get("detection_method") in CSAM_DETECTION, "csam needs a detection_method")
        need(report.get("media_type", "image") in MEDIA_TYPES, "media_type")
    elif report.get("type") == "csem":
        need(report.get("exploitation_type") in CSEM_EXPLOITATION, "csem needs an exploitation_type")
        need(report.get("detection_method") in CSEM_DETECTION, "csem needs a detection_method")
    else:
        found.append(f"type {report.get('type')!r} is neither csam nor csem")
    return found
