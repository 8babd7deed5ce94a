"""A notice's content, exactly as it is sent: text (English or French), XARF, webhook body.

The content is made once, when the notice is first claimed for sending, and stored on the
notice (``Notice.content``): every resend sends the same bytes under the same Message-ID.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sentinelle.notices import configuration, xarf
from sentinelle.notices.configuration import Sender
from sentinelle.notices.links import response_url
from sentinelle.notices.models import Kind, Notice, NoticeItem
from sentinelle.notices.wording import MONTHS_FR, WORDING

_HASHES = (("md5", "MD5"), ("sha1", "SHA-1"), ("sha256", "SHA-256"), ("pdq", "PDQ"))


def compose(notice: Notice, items: Sequence[NoticeItem], sender: Sender) -> dict[str, Any]:
    if notice.kind == Kind.RETRACTION:
        return _retraction(notice, items, sender)
    words = WORDING[notice.recipient_language]
    reference, count = str(notice.reference), len(items)
    lines = [
        words["greeting"].format(name=notice.recipient_name),
        words["intro"].format(org=sender.org),
        words["summary"].format(reference=reference, count=count, start=date(notice.window_start, words),
                                end=date(notice.window_end, words)),
        *(item_text(number, item, words) for number, item in enumerate(items, 1)),
        words["attached"],
        words["respond"].format(link=response_url(notice)),
        words["closing"].format(reference=reference, message_id=notice.message_id),
        f"{sender.org}\n{sender.address}",
    ]
    reports, attachments = xarf_parts(items, sender, reference, words)
    webhook = webhook_body(notice, sender, items, words, reports=reports, respond=response_url(notice))
    return {
        "language": notice.recipient_language,
        "subject": words["subject"].format(reference=reference, org=sender.org, count=count),
        "body": "\n\n".join(lines) + "\n",
        "attachments": attachments,
        "in_reply_to": None,
        "webhook": webhook,
    }


def _retraction(notice: Notice, items: Sequence[NoticeItem], sender: Sender) -> dict[str, Any]:
    words = WORDING[notice.recipient_language]
    original = notice.retracts
    assert original is not None
    reference, count = str(notice.reference), len(items)
    sent = date(original.sent_at or original.created, words)
    lines = [
        words["greeting"].format(name=notice.recipient_name),
        words["retraction_intro"].format(original=original.reference, sent=sent),
        words["retraction_summary"].format(reference=reference, count=count),
        *(f"{n}. {item.url}\n   SHA-256{words['colon']}{item.sha256}\n"
          f"   {words['report']}{words['colon']}{item.report_id}" for n, item in enumerate(items, 1)),
        words["closing"].format(reference=reference, message_id=notice.message_id),
        f"{sender.org}\n{sender.address}",
    ]
    return {
        "language": notice.recipient_language,
        "subject": words["retraction_subject"].format(reference=reference, count=count, original=original.reference),
        "body": "\n\n".join(lines) + "\n",
        "attachments": [],
        "in_reply_to": original.message_id,
        "webhook": webhook_body(notice, sender, items, words, retracts=original),
    }


def xarf_parts(
    items: Sequence[NoticeItem], sender: Sender, reference: str, words: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """One XARF report per item, and the same as attachments ``REFERENCE-001.xarf.json``..."""
    classification = configuration.xarf_classification()
    reports = [
        xarf.report(item, sender=sender, reference=reference, classification=classification,
                    legal_basis=basis(item, words))
        for item in items
    ]
    attachments = [
        {"filename": f"{reference}-{number:03d}.xarf.json", "content_type": "application/json",
         "content": json.dumps(report, indent=2, ensure_ascii=False)}
        for number, report in enumerate(reports, 1)
    ]
    return reports, attachments


def item_text(number: int, item: NoticeItem, words: dict[str, str]) -> str:
    colon = words["colon"]
    rows = [
        f"{number}. {item.url}",
        f"   {words['category']}{colon}{words[item.category]}",
        f"   {words['legal_basis']}{colon}{basis(item, words)}",
        *(f"   {label}{colon}{getattr(item, kind)}" for kind, label in _HASHES if getattr(item, kind)),
        f"   {words['first_seen']}{colon}{date(item.first_seen, words)}",
        f"   {words['last_verified']}{colon}{date(item.last_verified, words)}",
        f"   {words['report']}{colon}{item.report_id}",
    ]
    return "\n".join(rows)


def basis(item: NoticeItem, words: dict[str, str]) -> str:
    """The operator's legal basis for the item, else the built-in wording for its category."""
    return item.legal_basis or words[f"basis:{item.category}"]


def date(moment: datetime, words: dict[str, str]) -> str:
    at = moment.astimezone(UTC)
    return words["date"].format(
        year=at.year, month=at.month, day=at.day, first="er" if at.day == 1 else "",
        month_name=MONTHS_FR[at.month - 1], hour=at.hour, minute=at.minute,
    )


def webhook_body(
    notice: Notice, sender: Sender, items: Sequence[NoticeItem], words: dict[str, str], *,
    reports: list[dict[str, Any]] | None = None, retracts: Notice | None = None, respond: str | None = None,
) -> str:
    body: dict[str, Any] = {
        "type": str(notice.kind),
        "reference": notice.reference,
        "message_id": notice.message_id,
        "language": notice.recipient_language,
        "sender": {"org": sender.org, "contact": sender.address},
        "recipient": {"key": notice.recipient_key, "name": notice.recipient_name},
        "items": [
            {"report_id": str(item.report_id), "url": item.url, "category": item.category,
             "legal_basis": basis(item, words), "md5": item.md5 or None, "sha1": item.sha1 or None,
             "sha256": item.sha256, "pdq": item.pdq or None, "first_seen": xarf.time(item.first_seen),
             "last_verified": xarf.time(item.last_verified)}
            for item in items
        ],
    }
    if retracts is not None:
        body["retracts"] = {"reference": retracts.reference, "message_id": retracts.message_id}
    elif notice.follows is not None:
        follows = notice.follows
        body["follows"] = {"reference": follows.reference, "message_id": follows.message_id}
        body["xarf"] = reports or []
    else:
        body["window"] = {"start": xarf.time(notice.window_start), "end": xarf.time(notice.window_end)}
        body["xarf"] = reports or []
    if respond is not None:
        body["response_url"] = respond
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
