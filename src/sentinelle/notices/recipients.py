"""Who a notice goes to, as the notice records it (a snapshot: later changes do not alter it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from sentinelle.attribution.chain import Recipient
from sentinelle.notices.exceptions import InvalidRecipient
from sentinelle.notices.secrets import NAME

LANGUAGES: Final = ("en", "fr")


@dataclass(frozen=True)
class NoticeRecipient:
    """A hosting provider's abuse desk (or any party asked to act) and how to reach it.

    ``key`` identifies the recipient across addresses (e.g. ``provider:example-host``): one
    notice per key and window. ``webhook_secret_ref`` names the secret that signs webhook
    deliveries (HMAC-SHA256); the secret itself is in ``SENTINELLE_WEBHOOK_SECRETS``, never
    in the database (:mod:`sentinelle.notices.secrets`).
    """

    key: str
    name: str
    email: str = ""
    language: str = "en"
    role: str = ""
    provider: str = ""
    webhook_url: str = ""
    webhook_secret_ref: str = ""

    def validated(self) -> NoticeRecipient:
        """This recipient, checked; :class:`InvalidRecipient` says what is wrong."""
        if not self.key.strip() or len(self.key) > 200:
            raise InvalidRecipient("a recipient needs a key of 1..200 characters")
        if not self.name.strip() or len(self.name) > 200:
            raise InvalidRecipient(f"recipient {self.key}: a name of 1..200 characters is needed")
        if self.language not in LANGUAGES:
            raise InvalidRecipient(f"recipient {self.key}: language is en or fr, not {self.language!r}")
        if not self.email and not self.webhook_url:
            raise InvalidRecipient(f"recipient {self.key}: neither an email address nor a webhook")
        if self.email:
            try:
                validate_email(self.email)
            except ValidationError:
                raise InvalidRecipient(f"recipient {self.key}: {self.email!r} is not an email address") from None
        if self.webhook_url:
            parts = urlsplit(self.webhook_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise InvalidRecipient(f"recipient {self.key}: webhook {self.webhook_url!r} is not an http(s) URL")
            if not NAME.fullmatch(self.webhook_secret_ref):
                raise InvalidRecipient(f"recipient {self.key}: a webhook needs the name of its secret")
        return self

    def snapshot(self) -> dict[str, str]:
        """The notice's recipient columns."""
        return {
            "recipient_key": self.key.strip(),
            "recipient_name": self.name.strip(),
            "recipient_email": self.email,
            "recipient_language": self.language,
            "recipient_role": self.role,
            "recipient_provider": self.provider,
            "webhook_url": self.webhook_url,
            "webhook_secret_ref": self.webhook_secret_ref,
        }


def from_attribution(recipients: Iterable[Recipient]) -> list[NoticeRecipient]:
    """Attribution's recipients as notice recipients, one per desk.

    A directory provider's e-mail address and webhook become one recipient (key
    ``ROLE:SLUG``) reached on both channels; a further address of the same provider, and
    every RDAP contact, is a recipient of its own (key ``ROLE:ADDRESS``).
    """
    found: dict[str, NoticeRecipient] = {}
    for r in recipients:
        address = r.email or r.webhook_url or ""
        if not address:
            continue
        key = f"{r.role}:{r.provider}" if r.provider else f"{r.role}:{address.lower()}"
        held = found.get(key)
        if held is not None and r.email and not held.email:
            found[key] = replace(held, email=r.email)
            continue
        if held is not None and r.webhook_url and not held.webhook_url:
            found[key] = replace(held, webhook_url=r.webhook_url, webhook_secret_ref=r.secret_ref)
            continue
        if held is not None:
            key = f"{key}:{address.lower()}"
        found[key] = NoticeRecipient(
            key=key[:200], name=(r.name or address)[:200], email=r.email or "", language=r.language,
            role=str(r.role), provider=r.provider, webhook_url=r.webhook_url or "",
            webhook_secret_ref=r.secret_ref if r.webhook_url else "",
        )
    return list(found.values())
