"""The signed link in a notice that lets its recipient answer it without logging in.

The token is the notice's reference signed with Django's ``TimestampSigner`` (HMAC-SHA256 keyed
with ``SECRET_KEY``, a salt of its own so no other signature in sentinelle is accepted as one):
``SN-2026-000123:<timestamp>:<signature>``. Whoever holds the link can answer for the notice's
recipient until it expires (``SENTINELLE_RESPONSE_LINK_DAYS``); changing ``SECRET_KEY`` voids
every link sent.
"""

from __future__ import annotations

from typing import Final

from django.core import signing

from sentinelle.config import integer, public_url
from sentinelle.notices.exceptions import NoticesError
from sentinelle.notices.models import Kind, Notice

SALT: Final = "sentinelle.notices.response-link"
MAX_TOKEN: Final = 200


class InvalidResponseLink(NoticesError):
    """The link's token is malformed, or its signature does not match (altered or foreign)."""


class ExpiredResponseLink(InvalidResponseLink):
    """The link's signature is good but it is older than its allowed age."""

    def __init__(self, message: str, reference: str) -> None:
        super().__init__(message)
        self.reference = reference


def max_age_seconds() -> int:
    return integer("SENTINELLE_RESPONSE_LINK_DAYS", minimum=1) * 86400


def response_token(reference: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign(reference)


def response_url(notice: Notice) -> str:
    """``<SENTINELLE_PUBLIC_URL>/respond/<token>/`` for ``notice`` (which needs its reference)."""
    if not notice.reference or notice.kind != Kind.NOTICE:
        raise InvalidResponseLink(f"notice {notice.pk} cannot be answered: it has no reference or is a retraction")
    return f"{public_url()}/respond/{response_token(notice.reference)}/"


def verify_token(token: str, max_age: int | None = None) -> str:
    """The notice reference ``token`` was signed over, if the signature holds and it is younger
    than ``max_age`` seconds (default: the setting). Raises :class:`InvalidResponseLink` or
    :class:`ExpiredResponseLink`."""
    if not token or len(token) > MAX_TOKEN:
        raise InvalidResponseLink("the link is not a sentinelle response link")
    signer = signing.TimestampSigner(salt=SALT)
    try:
        return signer.unsign(token, max_age=max_age_seconds() if max_age is None else max_age)
    except signing.SignatureExpired as exc:
        raise ExpiredResponseLink(f"the link has expired: {exc}", token.split(":", 1)[0]) from None
    except signing.BadSignature:
        raise InvalidResponseLink("the link's signature does not match: it was altered or not made here") from None
