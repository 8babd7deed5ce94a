"""The address a web request comes from: the peer's, or the last ``X-Forwarded-For`` entry
when the peer is a trusted reverse proxy (``SENTINELLE_FORWARDED_ALLOW_IPS``, the addresses
gunicorn also trusts; ``*`` trusts any). Only the last entry is taken: it is the one the
trusted proxy wrote, whatever the client claimed before it.

Callers keep no address: the tipline and the response page hash it under a daily key
(``responses/clients.py``), the login lockout under a key of the day (``accounts/clients.py``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from sentinelle.config import setting


def client_address(meta: Mapping[str, Any]) -> str:
    """The client's address from a WSGI environment (``request.META``); empty when unknown."""
    peer = str(meta.get("REMOTE_ADDR") or "")
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR") or "")
    if forwarded and _trusted(peer):
        peer = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(peer))
    except ValueError:
        return ""


def _trusted(peer: str) -> bool:
    allowed = [a.strip() for a in (setting("SENTINELLE_FORWARDED_ALLOW_IPS") or "").split(",") if a.strip()]
    return "*" in allowed or peer in allowed
