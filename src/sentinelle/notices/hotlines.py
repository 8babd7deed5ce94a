"""The directory of national hotlines, where an escalation goes when the host does not act.

One hotline per country (ISO 3166-1 alpha-2), reached by e-mail and/or a signed webhook, in
English or French. None is built in: the operator adds the hotlines it works with
(``sentinelle hotlines set``). Every change is audited (``hotline:set``, ``hotline:remove``)
with the state before and after.
"""

from __future__ import annotations

import re
from typing import Any, Final

from django.db import transaction

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.notices.exceptions import InvalidRecipient, UnknownHotline
from sentinelle.notices.models import Hotline
from sentinelle.notices.recipients import NoticeRecipient

COUNTRY: Final = re.compile(r"[A-Z]{2}")
TARGET_TYPE: Final = "hotline"


def country_code(value: str) -> str:
    code = value.strip().upper()
    if not COUNTRY.fullmatch(code):
        raise InvalidRecipient(f"a country is two letters (ISO 3166-1 alpha-2), not {value!r}")
    return code


def recipient(hotline: Hotline) -> NoticeRecipient:
    return NoticeRecipient(
        key=f"hotline:{hotline.country}", name=hotline.name, email=hotline.email, language=hotline.language,
        role="hotline", provider="", webhook_url=hotline.webhook_url, webhook_secret_ref=hotline.webhook_secret_ref,
    )


def hotline_for(country: str) -> Hotline | None:
    code = country.strip().upper()
    return Hotline.objects.filter(country=code).first() if COUNTRY.fullmatch(code) else None


def set_hotline(
    country: str, *, name: str, actor: Actor, email: str = "", webhook_url: str = "", webhook_secret_ref: str = "",
    language: str = "en", note: str = "",
) -> Hotline:
    """Add the country's hotline, or change it; bad values (:class:`InvalidRecipient`) change nothing."""
    code = country_code(country)
    values = {"name": name.strip(), "email": email.strip(), "webhook_url": webhook_url.strip(),
              "webhook_secret_ref": webhook_secret_ref.strip(), "language": language.strip(), "note": note.strip()}
    recipient(Hotline(country=code, **values)).validated()
    with transaction.atomic():
        hotline = Hotline.objects.select_for_update().filter(country=code).first()
        before = describe(hotline) if hotline is not None else None
        if hotline is None:
            hotline = Hotline(country=code)
        for field, value in values.items():
            setattr(hotline, field, value)
        hotline.save()
        record(AuditAction.HOTLINE_SET, actor=actor, target_type=TARGET_TYPE, target_id=code, before=before,
               after=describe(hotline))
    return hotline


def remove_hotline(country: str, *, actor: Actor, reason: str = "") -> None:
    code = country_code(country)
    with transaction.atomic():
        hotline = Hotline.objects.select_for_update().filter(country=code).first()
        if hotline is None:
            raise UnknownHotline(f"no hotline is listed for {code}")
        before = describe(hotline)
        hotline.delete()
        record(AuditAction.HOTLINE_REMOVE, actor=actor, target_type=TARGET_TYPE, target_id=code, before=before,
               details={"reason": reason} if reason else None)


def describe(hotline: Hotline) -> dict[str, Any]:
    """The hotline as operators and the audit log see it (a webhook's secret by name only)."""
    return {"country": hotline.country, "name": hotline.name, "email": hotline.email,
            "webhook_url": hotline.webhook_url, "webhook_secret_ref": hotline.webhook_secret_ref,
            "language": hotline.language, "note": hotline.note}
