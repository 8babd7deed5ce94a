"""A notice as an operator (and the audit log) sees it."""

from __future__ import annotations

from typing import Any

from sentinelle.notices.models import PENDING, Notice


def describe(notice: Notice) -> dict[str, Any]:
    """The notice as an operator (and the audit log) sees it; never its webhook secret."""
    return {
        "reference": notice.reference,
        "kind": notice.kind,
        "retracts": notice.retracts.reference if notice.retracts_id else None,
        "follows": notice.follows.reference if notice.follows_id else None,
        "status": notice.status,
        "message_id": notice.message_id,
        "recipient": {
            "key": notice.recipient_key, "name": notice.recipient_name, "email": notice.recipient_email,
            "language": notice.recipient_language, "role": notice.recipient_role,
            "provider": notice.recipient_provider, "webhook_url": notice.webhook_url,
            "webhook_secret_ref": notice.webhook_secret_ref,
        },
        "window": {"start": notice.window_start.isoformat(), "end": notice.window_end.isoformat()},
        "channels": {"email": notice.email_state, "webhook": notice.webhook_state},
        "due_at": notice.due_at.isoformat() if notice.status in PENDING else None,
        "attempts": notice.attempts,
        "last_error": notice.last_error,
        "created": notice.created.isoformat(),
        "sent_at": notice.sent_at.isoformat() if notice.sent_at else None,
    }
