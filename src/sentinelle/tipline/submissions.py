"""One-time submission tokens: a report form is sent once.

The report form carries a token in a hidden field: random, signed by the site (so a token
the site did not issue, or one older than :data:`MAX_AGE`, is refused) and stored with the
report as its SHA-256 only, under a unique constraint. The same form posted twice (a double
click, the back button, a reload of the answer) names a report that exists: the second post
stores nothing, and the constraint decides between two posts that race.
Issuing a token stores nothing: the form page sets no cookie beyond CSRF's.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Final

from django.core import signing

from sentinelle.tipline.exceptions import InvalidSubmission

SALT: Final = "sentinelle.tipline.submission"
MAX_AGE: Final = timedelta(days=1)  #: a form older than this is refused, and comes back filled in


def new_token() -> str:
    """A fresh token for one report form."""
    return signing.TimestampSigner(salt=SALT).sign(secrets.token_urlsafe(32))


def token_hash(token: str) -> str:
    """SHA-256 of ``token``'s random part, or :class:`InvalidSubmission` when the site did not
    issue it (missing, altered or forged) or it is older than :data:`MAX_AGE`."""
    if not token:
        raise InvalidSubmission("the form has no submission token")
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvalidSubmission("the submission token is too old") from exc
    except signing.BadSignature as exc:
        raise InvalidSubmission("the submission token was not issued by this site") from exc
    return hashlib.sha256(value.encode()).hexdigest()
