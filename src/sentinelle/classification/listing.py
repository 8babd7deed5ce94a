"""What a decision does outside classification: hashes join the verified list, and the
sightings of the media that waited for an analyst are decided again by the notice intake.

The hashes are the media's SHA-256, MD5 and SHA-1, and its PDQ when it was made on the
reference path with quality >= 50 (DESIGN.md: lower quality is never near-matched). They go
through :func:`sentinelle.banks.services.import_list`, so the list's change log and the audit
log record them like any other import.
"""

from __future__ import annotations

from datetime import datetime

from sentinelle.audit.services import Actor
from sentinelle.banks.models import KnownHash, StoredList
from sentinelle.banks.services import create_list, import_list
from sentinelle.classification.exceptions import VerifiedListNotVerified
from sentinelle.classification.rules import PDQ_MIN_QUALITY, verified_list_name
from sentinelle.hashing import PdqPath
from sentinelle.lists import HashList, ListEntry
from sentinelle.notices.models import IntakeState, SightingIntake
from sentinelle.sightings.models import Match, Media, Sighting

SOURCE = "analysts' agreement (sentinelle review queue)"


def entries(media: Media, category: str) -> list[ListEntry]:
    entry_id = f"media:{media.sha256[:16]}"
    values = [("sha256", media.sha256), ("md5", media.md5), ("sha1", media.sha1)]
    if media.pdq and media.pdq_path == PdqPath.REFERENCE and (media.pdq_quality or 0) >= PDQ_MIN_QUALITY:
        values.append(("pdq", media.pdq))
    return [ListEntry(kind, value, category, entry_id) for kind, value in values]


def verified_list(actor: Actor) -> StoredList:
    """The configured verified list, created (verified) on first use."""
    name = verified_list_name()
    stored = StoredList.objects.filter(name=name).first()
    if stored is None:
        stored = create_list(name, actor=actor, source=SOURCE, verified=True)
    if not stored.verified:
        raise VerifiedListNotVerified(f"list {name!r} exists but is not verified: nothing was added")
    return stored


def join(media: Media, category: str, *, actor: Actor, decision: str) -> tuple[str, list[ListEntry]]:
    """Put the media's hashes on the verified list under ``category``."""
    stored = verified_list(actor)
    added = entries(media, category)
    import_list(HashList(stored.name, added, verified=True, source=SOURCE), actor=actor, name=stored.name,
                details={"media": media.sha256, "decision": decision})
    return stored.name, added


def redecide(media: Media, list_name: str, added: list[ListEntry], *, now: datetime) -> int:
    """Every sighting of the media not yet noticed gets a match against the verified list and
    is handed back to the notice intake (``redecide``, due now); how many were."""
    known = {(k.signal_type, k.hash): k for k in KnownHash.objects.filter(list__name=list_name)
             .filter(hash__in=[e.hash for e in added])}
    count = 0
    for sighting in Sighting.objects.filter(media=media).order_by("id"):
        intake = SightingIntake.objects.filter(sighting=sighting).first()
        if intake is not None and intake.state != IntakeState.ANALYST:
            continue  # already noticed, blocked, skipped, or waiting for a recipient
        for entry in added:
            Match.objects.get_or_create(
                sighting=sighting, list_name=list_name, signal_type=entry.signal_type, hash=entry.hash,
                defaults={"known_hash": known.get((entry.signal_type, entry.hash)), "distance": 0,
                          "category": entry.category or "", "confirmed_reference": True},
            )
        reason = f"analysts put its hashes on the verified list {list_name}: decided again"
        SightingIntake.objects.update_or_create(
            sighting=sighting,
            defaults={"state": IntakeState.REDECIDE, "reason": reason, "retry_at": now, "updated": now},
            create_defaults={"state": IntakeState.REDECIDE, "reason": reason, "retry_at": now, "updated": now,
                             "created": now, "attempts": 0},
        )
        count += 1
    return count


def dismiss(media: Media, *, now: datetime) -> int:
    """Sightings waiting for an analyst leave the wait: analysts found the media not illegal."""
    waiting = SightingIntake.objects.filter(state=IntakeState.ANALYST, sighting__media=media)
    return waiting.update(state=IntakeState.SKIPPED, retry_at=None, updated=now,
                          reason="analysts classified the media as not illegal: nothing to notice")
