"""Who sent an answer, as little as can serve: an HMAC of the address under a daily key.

The address comes from :func:`sentinelle.forwarded.client_address`. Hashes of one day can be
compared with each other (several answers from one place); the key is deleted two days later,
after which no one, the operator included, can test an address against a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from sentinelle.responses.models import ClientKey

KEPT_DAYS = 2


def client_hash(address: str, now: datetime) -> str:
    """HMAC-SHA256 of ``address`` under ``now``'s day key (made when first needed); empty for
    an unknown address."""
    if not address:
        return ""
    key = _day_key(now)
    return hmac.new(bytes.fromhex(key), address.encode(), hashlib.sha256).hexdigest()


def _day_key(now: datetime) -> str:
    day = now.date()
    found = ClientKey.objects.filter(day=day).values_list("secret", flat=True).first()
    if found:
        return str(found)
    try:
        with transaction.atomic():
            ClientKey.objects.filter(day__lt=day - timedelta(days=KEPT_DAYS)).delete()
            return str(ClientKey.objects.create(day=day, secret=secrets.token_hex(32)).secret)
    except IntegrityError:  # another process made it first
        return str(ClientKey.objects.get(day=day).secret)
