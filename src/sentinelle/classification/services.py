"""Verdicts and decisions: each in one transaction with its audit events.

:func:`classify` records one analyst's category (once per analyst and item) and decides the
item when the rule of :mod:`.rules` says so; :func:`settle` is a supervisor's final decision on
a disputed item. A decision in a notice category puts the media's hashes on the verified list
and hands its waiting sightings back to the notice intake; a ``not-illegal`` decision takes
them out of the analysts' wait (:mod:`.listing`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.classification import exposure, listing
from sentinelle.classification.exceptions import (
    AlreadyClassified,
    AlreadyDecided,
    AwaitingSettlement,
    NotDisputed,
    NotReviewable,
    UnknownCategory,
)
from sentinelle.classification.models import Category, Decision, Verdict
from sentinelle.classification.queue import in_review
from sentinelle.classification.rules import DISPUTED, LISTED, agreement, outcome
from sentinelle.sightings.models import Media

TARGET_TYPE = "media"


def _category(value: str) -> Category:
    try:
        return Category(value)
    except ValueError:
        raise UnknownCategory(f"unknown category: {value[:40]!r}") from None


def _locked(media: Media) -> Media:
    locked: Media = Media.objects.select_for_update().get(pk=media.pk)
    if Decision.objects.filter(media=locked).exists():
        raise AlreadyDecided(f"media {media.sha256} is decided")
    return locked


def classify(media: Media, category: str, *, actor: Actor, now: datetime | None = None) -> Verdict:
    """``actor``'s category for ``media``; decides the item when enough analysts agree."""
    chosen = _category(category)
    moment = now or clock.current().now()
    with transaction.atomic():
        locked = _locked(media)
        if not in_review(locked, moment):
            raise NotReviewable(f"media {media.sha256} is not in the review queue")
        if Verdict.objects.filter(media=locked, analyst=actor.name).exists():
            raise AlreadyClassified(f"{actor.name} already classified media {media.sha256}")
        earlier = Verdict.objects.filter(media=locked).values_list("category", flat=True)
        if outcome(earlier, agreement()) == DISPUTED:
            raise AwaitingSettlement(f"media {media.sha256} waits for a supervisor")
        try:
            with transaction.atomic():
                verdict: Verdict = Verdict.objects.create(media=locked, analyst=actor.name, category=chosen,
                                                          given_at=moment)
        except IntegrityError:
            raise AlreadyClassified(f"{actor.name} already classified media {media.sha256}") from None
        exposure.end(actor.name, moment, locked)
        given = list(Verdict.objects.filter(media=locked).values_list("category", flat=True))
        result = outcome(given, agreement())
        record(AuditAction.REVIEW_CLASSIFY, actor=actor, target_type=TARGET_TYPE, target_id=locked.sha256,
               after={"category": chosen.value}, details={"verdicts": len(given), "outcome": result or "open"})
        if result is not None and result != DISPUTED:
            _decide(locked, result, Decision.How.AGREEMENT, "analysts", actor, moment)
    return verdict


def settle(media: Media, category: str, *, actor: Actor, now: datetime | None = None) -> Decision:
    """A supervisor's final category for an item the analysts disagreed on."""
    chosen = _category(category)
    moment = now or clock.current().now()
    with transaction.atomic():
        locked = _locked(media)
        given = list(Verdict.objects.filter(media=locked).values_list("category", flat=True))
        if outcome(given, agreement()) != DISPUTED:
            raise NotDisputed(f"media {media.sha256} is not disputed")
        return _decide(locked, chosen.value, Decision.How.SETTLED, actor.name, actor, moment, given)


def _decide(media: Media, category: str, how: str, by: str, actor: Actor, now: datetime,
            verdicts: list[str] | None = None) -> Decision:
    list_name, hashes, redecided, dismissed = "", [], 0, 0
    if category in LISTED:
        list_name, added = listing.join(media, category, actor=actor, decision=how)
        hashes = [[e.signal_type, e.hash] for e in added]
        redecided = listing.redecide(media, list_name, added, now=now)
    else:
        dismissed = listing.dismiss(media, now=now)
    decision: Decision = Decision.objects.create(media=media, category=category, how=how, decided_by=by,
                                                 decided_at=now, list_name=list_name, hashes=hashes)
    details = {"how": how, "list": list_name or None, "hashes": len(hashes), "sightings_redecided": redecided,
               "sightings_dismissed": dismissed}
    if how == Decision.How.SETTLED:
        record(AuditAction.REVIEW_SETTLE, actor=actor, target_type=TARGET_TYPE, target_id=media.sha256,
               before={"verdicts": sorted(verdicts or [])}, after={"category": category}, details=details)
    else:
        record(AuditAction.REVIEW_DECIDE, actor=actor, target_type=TARGET_TYPE, target_id=media.sha256,
               after={"category": category}, details=details)
    return decision
