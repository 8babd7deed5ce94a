"""Batching windows, notice references and Message-IDs."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Final

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
PREFIX: Final = "SN"


def window_for(moment: datetime, length: timedelta) -> tuple[datetime, datetime]:
    """The window holding ``moment``: windows of ``length`` laid end to end from midnight UTC,
    1 January 1970 (so a day-long window is a UTC calendar day)."""
    offset = (moment - EPOCH) // length
    start = EPOCH + offset * length
    return start, start + length


def reference(number: int, moment: datetime) -> str:
    """``SN-2026-000123``: the year the notice was made and its number (unique)."""
    return f"{PREFIX}-{moment.astimezone(UTC).year}-{number:06d}"


def new_message_id(reference: str, domain: str) -> str:
    """A Message-ID made once per notice and kept for every resend (RFC 5322 msg-id): the
    reference, for people, and a random part, so two installations never collide."""
    return f"<{reference}.{secrets.token_hex(8)}@{domain}>"


def placeholder() -> str:
    """A unique stand-in Message-ID for the instant between a notice's insert and the
    update that gives it its reference (both in one transaction)."""
    return f"<pending.{secrets.token_hex(16)}@invalid>"
