"""The client a login comes from, as an HMAC: failures are counted per place without keeping
any address. The key is derived from the secret key and the day, and rows expire with their
lock (see docs/accounts.md)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.crypto import salted_hmac

from sentinelle.config import setting


def client_address(meta: Mapping[str, Any]) -> str:
    """The peer's address, or the last X-Forwarded-For entry when the peer is a trusted proxy
    (``SENTINELLE_FORWARDED_ALLOW_IPS``), as responses/clients.py reads it; empty if unknown."""
    peer = str(meta.get("REMOTE_ADDR") or "")
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR") or "")
    allowed = [a.strip() for a in (setting("SENTINELLE_FORWARDED_ALLOW_IPS") or "").split(",") if a.strip()]
    if forwarded and ("*" in allowed or peer in allowed):
        peer = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(peer))
    except ValueError:
        return ""


def client_key(meta: Mapping[str, Any], now: datetime) -> str:
    """``client:HMAC`` of the client's address under today's key; empty when unknown."""
    address = client_address(meta)
    if not address:
        return ""
    digest = salted_hmac("sentinelle.accounts.client", f"{now.date().isoformat()}:{address}", algorithm="sha256")
    return f"client:{digest.hexdigest()[:64]}"
