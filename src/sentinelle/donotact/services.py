"""Adding, removing and consulting do-not-act entries. The list always wins (DESIGN.md)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.crawl.exceptions import InvalidUrl
from sentinelle.crawl.normalize import normalize_url
from sentinelle.donotact.exceptions import InvalidDoNotAct, UnknownDoNotAct
from sentinelle.donotact.models import DoNotAct
from sentinelle.hashing import InvalidHash, UnknownSignalType, signal_type


def normalize(kind: str, value: str, hash_type: str = "") -> tuple[str, str]:
    """``(signal_type, value)`` in canonical form, or :class:`InvalidDoNotAct`."""
    text = value.strip()
    if kind == DoNotAct.Kind.HASH:
        try:
            return hash_type, signal_type(hash_type).normalize(text)
        except (InvalidHash, UnknownSignalType) as exc:
            raise InvalidDoNotAct(str(exc)) from None
    if kind == DoNotAct.Kind.URL:
        # The crawler's own canonical form, so a URL is the same URL everywhere.
        try:
            return "", normalize_url(text).url
        except InvalidUrl as exc:
            raise InvalidDoNotAct(f"not a usable URL: {exc}") from None
    if kind == DoNotAct.Kind.HOST:
        host = text.lower().rstrip(".")
        if not host or any(c in host for c in "/: \t"):
            raise InvalidDoNotAct(f"not a host name: {text!r}")
        return "", host
    raise InvalidDoNotAct(f"unknown kind {kind!r} (hash, url or host)")


def add(kind: str, value: str, *, reason: str, actor: Actor, hash_type: str = "") -> DoNotAct:
    if not reason.strip():
        raise InvalidDoNotAct("a do-not-act entry needs a reason")
    hash_type, canonical = normalize(kind, value, hash_type)
    try:
        with transaction.atomic():
            entry = DoNotAct.objects.create(kind=kind, signal_type=hash_type, value=canonical,
                                            reason=reason.strip(), created_by=actor.name)
            record(AuditAction.DONOTACT_ADD, actor=actor, target_type="donotact", target_id=entry.pk,
                   after=_state(entry))
    except IntegrityError:
        raise InvalidDoNotAct(f"{kind} {canonical} is already on the do-not-act list") from None
    return entry


def remove(entry_id: int, *, actor: Actor, reason: str = "") -> None:
    with transaction.atomic():
        entry = DoNotAct.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None:
            raise UnknownDoNotAct(f"no do-not-act entry {entry_id}")
        before = _state(entry)
        entry.delete()
        record(AuditAction.DONOTACT_REMOVE, actor=actor, target_type="donotact", target_id=entry_id,
               before=before, details={"reason": reason} if reason else None)


def blocks_hash(hash_type: str, value: str) -> bool:
    return DoNotAct.objects.filter(kind=DoNotAct.Kind.HASH, signal_type=hash_type, value=value.lower()).exists()


def blocks_url(url: str) -> bool:
    """True when the URL itself or its host (or a parent domain of it) is on the list."""
    _, canonical = normalize(DoNotAct.Kind.URL, url)
    host = (urlsplit(canonical).hostname or "").rstrip(".")
    labels = host.split(".")
    hosts = [".".join(labels[i:]) for i in range(len(labels))]
    return (
        DoNotAct.objects.filter(kind=DoNotAct.Kind.URL, value=canonical).exists()
        or DoNotAct.objects.filter(kind=DoNotAct.Kind.HOST, value__in=hosts).exists()
    )


def _state(entry: DoNotAct) -> dict[str, object]:
    return {"kind": entry.kind, "signal_type": entry.signal_type, "value": entry.value, "reason": entry.reason}
