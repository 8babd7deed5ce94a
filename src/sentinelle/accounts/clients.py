"""The client a login comes from, as an HMAC: failures are counted per place without keeping
any address. The key is derived from the secret key and the day, and rows expire with their
lock (see docs/accounts.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.crypto import salted_hmac

from sentinelle.forwarded import client_address


def client_key(meta: Mapping[str, Any], now: datetime) -> str:
    """``client:HMAC`` of the client's address under today's key; empty when unknown."""
    address = client_address(meta)
    if not address:
        return ""
    digest = salted_hmac("sentinelle.accounts.client", f"{now.date().isoformat()}:{address}", algorithm="sha256")
    return f"client:{digest.hexdigest()[:64]}"
