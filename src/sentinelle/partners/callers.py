"""Who is calling: a token checked against its stored hash, turned into a :class:`Caller`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sentinelle import clock
from sentinelle.partners.exceptions import AuthenticationFailed
from sentinelle.partners.models import PartnerToken
from sentinelle.partners.scopes import Scope
from sentinelle.partners.tokens import looks_like_token, token_hash

#: ``last_used_at`` is written at most this often per token (not one write per call).
LAST_USED_GRANULARITY = timedelta(minutes=1)
FIELDS = ("id", "prefix", "scopes", "revoked_at", "expires_at", "last_used_at", "rate_limit", "partner_id",
          "partner__name", "partner__active", "partner__provider_id")


@dataclass(frozen=True)
class Caller:
    """An authenticated partner token, as the API's views see it (``request.auth``)."""

    partner_id: int
    partner: str
    token_id: int
    token_prefix: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    provider_id: int | None = None
    rate_limit: int | None = None
    expires_at: datetime | None = None

    def has(self, scope: Scope) -> bool:
        return str(scope) in self.scopes

    def check_current(self, now: datetime | None = None) -> None:
        """:class:`AuthenticationFailed` once the token expired (a cached caller may outlive it)."""
        if self.expires_at is not None and self.expires_at <= (now or clock.current().now()):
            raise AuthenticationFailed("expired")


def authenticate(token: str) -> Caller:
    """The caller holding ``token``, or :class:`AuthenticationFailed` saying why not."""
    if not token or not looks_like_token(token):
        raise AuthenticationFailed("malformed")
    # One query, no model instances, no ordering: this runs on every call.
    rows = list(PartnerToken.objects.filter(secret_hash=token_hash(token)).order_by().values(*FIELDS)[:1])
    if not rows:
        raise AuthenticationFailed("unknown")
    row = rows[0]
    now = clock.current().now()
    if row["revoked_at"] is not None:
        raise AuthenticationFailed("revoked")
    if row["expires_at"] is not None and row["expires_at"] <= now:
        raise AuthenticationFailed("expired")
    if not row["partner__active"]:
        raise AuthenticationFailed("partner-inactive")
    if row["last_used_at"] is None or now - row["last_used_at"] >= LAST_USED_GRANULARITY:
        PartnerToken.objects.filter(id=row["id"]).update(last_used_at=now)
    return Caller(
        partner_id=row["partner_id"], partner=row["partner__name"], token_id=row["id"],
        token_prefix=row["prefix"], scopes=frozenset(row["scopes"]),
        provider_id=row["partner__provider_id"], rate_limit=row["rate_limit"], expires_at=row["expires_at"],
    )
