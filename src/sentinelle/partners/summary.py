"""Partners and tokens as plain dictionaries: for the CLI's JSON Lines and the console."""

from __future__ import annotations

from datetime import datetime

from sentinelle.partners.models import Partner, PartnerToken
from sentinelle.partners.services import token_state


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def describe_token(token: PartnerToken, now: datetime | None = None) -> dict[str, object]:
    """Everything about a token but its secret (which is not stored)."""
    return {
        "id": token.id, "partner": token.partner.name, "prefix": token.prefix, "scopes": list(token.scopes),
        "state": token_state(token, now), "created": _when(token.created), "created_by": token.created_by,
        "expires_at": _when(token.expires_at), "revoked_at": _when(token.revoked_at),
        "last_used_at": _when(token.last_used_at), "rate_limit": token.rate_limit,
    }


def describe_partner(partner: Partner, now: datetime | None = None) -> dict[str, object]:
    return {
        "id": partner.id, "name": partner.name, "contact": partner.contact, "active": partner.active,
        "provider": partner.provider.slug if partner.provider_id else None,
        "lists": sorted(stored.name for stored in partner.lists.all()),
        "created": _when(partner.created),
        "tokens": [describe_token(t, now) for t in partner.tokens.all()],
    }
