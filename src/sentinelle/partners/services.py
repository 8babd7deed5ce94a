"""Partners and their tokens: create, issue, revoke, list. Every change is audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.partners.exceptions import (
    InvalidScope,
    PartnerExists,
    PartnerNotFound,
    TokenNotFound,
)
from sentinelle.partners.models import Partner, PartnerToken
from sentinelle.partners.scopes import Scope
from sentinelle.partners.tokens import new_token, token_hash, token_prefix


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued: ``token`` is the only time the plain value exists."""

    token: str
    record: PartnerToken


def parse_scopes(names: Iterable[str]) -> list[Scope]:
    scopes: list[Scope] = []
    for name in names:
        try:
            scope = Scope(name)
        except ValueError:
            known = ", ".join(s.value for s in Scope)
            raise InvalidScope(f"unknown scope {name!r} (known: {known})") from None
        if scope not in scopes:
            scopes.append(scope)
    if not scopes:
        raise InvalidScope("a token needs at least one scope")
    return scopes


def get_partner(key: str | int) -> Partner:
    """A partner by id or by name."""
    query = Partner.objects.filter(id=int(key)) if str(key).isdigit() else Partner.objects.filter(name=key)
    found = query.first()
    if found is None:
        raise PartnerNotFound(f"no partner {key!r}")
    return found


def create_partner(
    name: str,
    *,
    actor: Actor,
    contact: str = "",
    provider_id: int | None = None,
    lists: Sequence[str] = (),
) -> Partner:
    from sentinelle.banks.services import get_list

    stored = [get_list(n) for n in lists]
    with transaction.atomic():
        if Partner.objects.filter(name=name).exists():
            raise PartnerExists(f"a partner named {name!r} exists")
        try:
            partner = Partner.objects.create(
                name=name, contact=contact, provider_id=provider_id, created=clock.current().now()
            )
        except IntegrityError:
            raise PartnerExists(f"a partner named {name!r} exists") from None
        partner.lists.set(stored)
        record(
            AuditAction.PARTNER_CREATE, actor=actor, target_type="partner", target_id=partner.id,
            after={"name": name, "contact": contact, "provider": provider_id, "lists": sorted(lists)},
        )
    return partner


def set_lists(partner: Partner, lists: Sequence[str], *, actor: Actor) -> None:
    """Replace the lists the partner may read."""
    from sentinelle.banks.services import get_list

    stored = [get_list(n) for n in lists]
    with transaction.atomic():
        before = sorted(partner.lists.values_list("name", flat=True))
        partner.lists.set(stored)
        record(
            AuditAction.PARTNER_UPDATE, actor=actor, target_type="partner", target_id=partner.id,
            before={"lists": before}, after={"lists": sorted(lists)},
        )


def issue_token(
    partner: Partner, scopes: Iterable[str], *, actor: Actor, expires_days: int | None = 90,
    rate_limit: int | None = None,
) -> IssuedToken:
    """A new token for ``partner``; the plain value is returned here and never again."""
    chosen = parse_scopes(scopes)
    now = clock.current().now()
    expires = now + timedelta(days=expires_days) if expires_days else None
    token = new_token()
    with transaction.atomic():
        stored = PartnerToken.objects.create(
            partner=partner, prefix=token_prefix(token), secret_hash=token_hash(token),
            scopes=[str(s) for s in chosen], created=now, created_by=actor.name, expires_at=expires,
            rate_limit=rate_limit,
        )
        record(
            AuditAction.PARTNER_TOKEN_ISSUE, actor=actor, target_type="partner-token", target_id=stored.id,
            after={"partner": partner.name, "prefix": stored.prefix, "scopes": stored.scopes,
                   "expires_at": expires.isoformat() if expires else None, "rate_limit": rate_limit},
        )
    return IssuedToken(token=token, record=stored)


def find_token(key: str | int) -> PartnerToken:
    """A token by id or by prefix (the first characters shown in lists)."""
    text = str(key)
    if text.isdigit():
        found = PartnerToken.objects.filter(id=int(text)).first()
    else:
        matches = list(PartnerToken.objects.filter(prefix__startswith=text[:16])[:2]) if len(text) >= 8 else []
        found = matches[0] if len(matches) == 1 else None
    if found is None:
        raise TokenNotFound(f"no single token {text!r}")
    return found


def revoke(token: PartnerToken, *, actor: Actor) -> bool:
    """Revoke ``token``; False when it already was."""
    with transaction.atomic():
        locked = PartnerToken.objects.select_for_update().get(id=token.id)
        if locked.revoked_at is not None:
            return False
        locked.revoked_at = clock.current().now()
        locked.save(update_fields=["revoked_at"])
        record(
            AuditAction.PARTNER_TOKEN_REVOKE, actor=actor, target_type="partner-token", target_id=locked.id,
            after={"partner_id": locked.partner_id, "prefix": locked.prefix},
        )
    token.revoked_at = locked.revoked_at
    return True


def list_partners() -> list[Partner]:
    return list(Partner.objects.select_related("provider").prefetch_related("tokens", "lists"))


def token_state(token: PartnerToken, now: datetime | None = None) -> str:
    """``active``, ``expired`` or ``revoked``: for lists and the console."""
    moment = now or clock.current().now()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= moment:
        return "expired"
    return "active"
