"""The content of a reminder or an escalation, exactly as it is sent (made once, like a notice's).

A reminder goes to the notice's recipient, ``In-Reply-To`` the notice, with the notice's
signed response link. An escalation goes to the upstream network or a hotline, which never
saw the notice: it names the notice and the host asked, is not a reply, and carries no link
(the link answers for the host). Both list the items still online (with their XARF reports
attached, under the items' own report ids) in the recipient's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sentinelle.notices.compose import date, item_text, webhook_body, xarf_parts
from sentinelle.notices.configuration import Sender
from sentinelle.notices.links import response_url
from sentinelle.notices.models import Kind, Notice, NoticeItem
from sentinelle.notices.wording import WORDING
from sentinelle.notices.wording_follow_up import FOLLOW_UP_WORDING


def compose_follow_up(notice: Notice, items: Sequence[NoticeItem], sender: Sender) -> dict[str, Any]:
    original = notice.follows
    assert original is not None, "a follow-up follows a notice"
    words = {**WORDING[notice.recipient_language], **FOLLOW_UP_WORDING[notice.recipient_language]}
    reference, count = str(notice.reference), len(items)
    sent = date(original.sent_at or original.created, words)
    if notice.kind == Kind.REMINDER:
        subject = words["reminder_subject"].format(reference=reference, count=count, original=original.reference)
        intro = words["reminder_intro"].format(sent=sent, original=original.reference)
        summary = words["reminder_summary"].format(reference=reference, original=original.reference, count=count)
        reply_to, respond = original.message_id, response_url(original)
    else:
        reminders = max((item.reminders for item in items), default=0)
        subject = words["escalation_subject"].format(reference=reference, org=sender.org, count=count)
        intro = words[f"escalation_intro:{_audience(notice)}"].format(
            org=sender.org, sent=sent, host=original.recipient_name, original=original.reference,
            reminders=reminders,
        )
        summary = words["escalation_summary"].format(reference=reference, original=original.reference,
                                                     host=original.recipient_name, count=count)
        reply_to, respond = None, None  # the link answers for the host: not for this recipient
    lines = [
        words["greeting"].format(name=notice.recipient_name),
        intro,
        summary,
        *(item_text(number, item, words) for number, item in enumerate(items, 1)),
        words["attached"],
        *([words["respond"].format(link=respond)] if respond else []),
        words["closing"].format(reference=reference, message_id=notice.message_id),
        f"{sender.org}\n{sender.address}",
    ]
    reports, attachments = xarf_parts(items, sender, reference, words)
    return {
        "language": notice.recipient_language,
        "subject": subject,
        "body": "\n\n".join(lines) + "\n",
        "attachments": attachments,
        "in_reply_to": reply_to,
        "webhook": webhook_body(notice, sender, items, words, reports=reports, respond=respond),
    }


def _audience(notice: Notice) -> str:
    return "hotline" if notice.recipient_role == "hotline" else "upstream"
