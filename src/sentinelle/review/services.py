"""Keeping and showing review media: encrypted, only when allowed, every view audited.

Bytes are kept only for media seen on a *confirmed* page (a page where something matched)
that is *unknown* (no match on any list) or matched *unverified* lists only (analysts must
confirm it); :func:`store_review_media` refuses anything else, and always media that matched
a verified list. The plaintext is checked against the media's SHA-256 when it is stored and
when it is read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.banks.models import StoredList
from sentinelle.review.exceptions import (
    ContentMismatch,
    DecryptionFailed,
    MediaIsKnown,
    PageNotConfirmed,
    ReviewMediaExpired,
    ReviewMediaMissing,
)
from sentinelle.review.keys import KeyProvider, key_provider
from sentinelle.review.models import ReviewMedia
from sentinelle.review.retention import retention_period
from sentinelle.review.sealing import seal, unseal
from sentinelle.sightings.models import Match, Media, Sighting

TARGET_TYPE = "media"


def store_review_media(
    media: Media,
    data: bytes,
    *,
    actor: Actor,
    keys: KeyProvider | None = None,
    now: datetime | None = None,
) -> ReviewMedia:
    """Keep ``data`` (the bytes of ``media``) encrypted until the retention period ends.

    Storing media that is already kept returns the kept copy unchanged (its expiry too).
    """
    if hashlib.sha256(data).hexdigest() != media.sha256:
        raise ContentMismatch(f"the bytes given are not those of media {media.sha256}")
    check_allowed(media)
    kept = _kept(media)
    if kept is not None:
        return kept
    key_id, token = seal(data, keys or key_provider())
    moment = now or timezone.now()
    with transaction.atomic():
        # Recording a match locks the media row too: a match cannot slip in unseen.
        Media.objects.select_for_update().filter(pk=media.pk).values_list("pk").get()
        check_allowed(media)
        kept = _kept(media)
        if kept is not None:
            return kept
        row: ReviewMedia = ReviewMedia.objects.create(
            media=media,
            ciphertext=token,
            key_id=key_id,
            size=len(data),
            mime=media.mime,
            stored_at=moment,
            expires_at=moment + retention_period(),
        )
        record(
            AuditAction.REVIEW_STORE,
            actor=actor,
            target_type=TARGET_TYPE,
            target_id=media.sha256,
            after={"key_id": key_id, "size": row.size, "expires_at": row.expires_at.isoformat()},
        )
    return row


def read_review_media(
    media: Media,
    *,
    actor: Actor,
    keys: KeyProvider | None = None,
    now: datetime | None = None,
) -> bytes:
    """The kept bytes of ``media``, decrypted; the view is written to the audit log."""
    row: ReviewMedia | None = ReviewMedia.objects.filter(media=media).first()
    if row is None:
        raise ReviewMediaMissing(f"no bytes are kept for media {media.sha256}")
    if row.expires_at <= (now or timezone.now()):
        raise ReviewMediaExpired(f"the bytes of media {media.sha256} expired {row.expires_at}")
    plaintext = unseal(bytes(row.ciphertext), str(row.key_id), keys or key_provider())
    if hashlib.sha256(plaintext).hexdigest() != media.sha256:
        raise DecryptionFailed(f"the kept bytes are not those of media {media.sha256}")
    record(
        AuditAction.REVIEW_VIEW,
        actor=actor,
        target_type=TARGET_TYPE,
        target_id=media.sha256,
        details={"key_id": row.key_id, "size": row.size},
    )
    return plaintext


def check_allowed(media: Media) -> None:
    """Refuse media that matched a verified list (or a list no longer stored), or that was
    not seen on a confirmed page. Media whose matches are all against stored, unverified
    lists is kept: analysts must confirm it before any notice (sentinelle.classification)."""
    names = set(Match.objects.filter(sighting__media=media).values_list("list_name", flat=True))
    if names and not unverified_only(names):
        raise MediaIsKnown(f"media {media.sha256} matched a verified list: its bytes are not kept")
    if not Sighting.objects.filter(media=media, page__confirmed=True).exists():
        raise PageNotConfirmed(f"media {media.sha256} was not seen on a confirmed page")


def unverified_only(list_names: Iterable[str]) -> bool:
    """Every one of these lists is stored and not verified (their matches wait for analysts)."""
    names = set(list_names)
    stored = StoredList.objects.filter(name__in=names)
    return len(names) == stored.count() and not stored.filter(verified=True).exists()


def _kept(media: Media) -> ReviewMedia | None:
    row: ReviewMedia | None = ReviewMedia.objects.filter(media=media).defer("ciphertext").first()
    return row
