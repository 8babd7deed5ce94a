"""Showing an item's original: asked for with a POST (audited ``review:reveal``), then sent
once, within :data:`.rules.REVEAL_TTL`, to the analyst who asked (read audited ``review:view``).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.classification import exposure
from sentinelle.classification.exceptions import NotReviewable, RevealRefused
from sentinelle.classification.models import Reveal
from sentinelle.classification.rules import REVEAL_TTL
from sentinelle.review.models import ReviewMedia
from sentinelle.review.services import read_review_media
from sentinelle.sightings.models import Media


def grant(media: Media, *, actor: Actor, now: datetime | None = None) -> Reveal:
    """An audited, single-use permission for ``actor`` to fetch the original of ``media``."""
    moment = now or clock.current().now()
    if not ReviewMedia.objects.filter(media=media, expires_at__gt=moment).exists():
        raise NotReviewable(f"no bytes are kept for media {media.sha256}")
    with transaction.atomic():
        row: Reveal = Reveal.objects.create(media=media, analyst=actor.name, token=secrets.token_urlsafe(32),
                                            granted_at=moment)
        exposure.mark_revealed(media, actor.name, moment)
        record(AuditAction.REVIEW_REVEAL, actor=actor, target_type="media", target_id=media.sha256,
               details={"reveal": row.pk})
    return row


def original(media: Media, token: str, *, actor: Actor, now: datetime | None = None) -> bytes:
    """The original bytes, once per reveal; :class:`RevealRefused` otherwise."""
    moment = now or clock.current().now()
    with transaction.atomic():
        row = Reveal.objects.select_for_update().filter(media=media, token=token, analyst=actor.name).first()
        if row is None or row.used_at is not None or row.granted_at + REVEAL_TTL < moment:
            raise RevealRefused("no fresh, unused reveal of this media by this analyst")
        row.used_at = moment
        row.save(update_fields=["used_at"])
        return read_review_media(media, actor=actor, now=moment)
