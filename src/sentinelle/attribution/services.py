"""Attributing URLs and keeping the result: the attribution, its flags, its recipients.

* :func:`attribute` walks the chain (:class:`~.attributor.Attributor`) and stores it: the
  URL's :class:`~.models.Attribution` is replaced, and its flags follow: a reason found opens
  a flag (or counts another attempt on the open one), a reason gone closes its flag. Flags
  are never deleted. Attributing is observation, not an edit: it writes no audit event.
* :func:`recipients_for` is what notices use (docs/attribution.md).
* :func:`retry_due` tries again the URLs whose flags are due; :func:`pending_urls` lists the
  URLs of sightings with matches that have no attribution yet.
* Directory edits are in :mod:`.providers`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Final

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sentinelle.attribution.attributor import Attributor
from sentinelle.attribution.chain import RETRIED, Chain, Recipient
from sentinelle.attribution.directory import Match
from sentinelle.attribution.exceptions import AttributionError
from sentinelle.attribution.models import Attribution, AttributionFlag
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.crawl.normalize import normalize_url
from sentinelle.sightings.models import Match as SightingMatch
from sentinelle.sightings.models import Sighting

SYSTEM: Final = "system:attribution"
RETRY_BASE: Final = timedelta(minutes=5)
RETRY_CAP: Final = timedelta(hours=24)


def attribute(url: str, *, attributor: Attributor, address: str | None = None) -> tuple[Attribution, Chain]:
    chain, match = attributor.attribute(url, address=address)
    return store(chain, match), chain


def store(chain: Chain, match: Match | None) -> Attribution:
    key = normalize_url(chain.url).key
    rdap = chain.rdap or {}
    network = rdap.get("network") or {}
    asn = chain.asn or {}
    cdn = chain.cdn or {}
    origin = cdn.get("origin") or {}
    with transaction.atomic():
        row, _ = Attribution.objects.update_or_create(url_key=key, defaults={
            "url": chain.url, "host": chain.host,
            "address": (chain.addresses or {}).get("used"),
            "asn": asn.get("asn") or None, "as_name": asn.get("as_name", ""),
            "country": asn.get("country") or network.get("country") or "",
            "network": f"{network['handle']} {network['range']}" if network else "",
            "provider": match.provider if match else None,
            "cdn": cdn.get("name", ""), "origin_ip": origin.get("origin_ip"),
            "status": chain.status, "reasons": [str(r) for r, _ in chain.reasons],
            "recipients": [r.as_dict() for r in chain.recipients], "chain": chain.as_dict(),
            "attributed": chain.at,
        })
        _sync_flags(chain, key)
    return row


def _sync_flags(chain: Chain, key: str) -> None:
    now = chain.at
    found = {str(reason): detail for reason, detail in chain.reasons}
    open_flags = {f.reason: f for f in AttributionFlag.objects.select_for_update().filter(url_key=key, open=True)}
    for reason, detail in found.items():
        flag = open_flags.get(reason)
        if flag is None:
            flag = AttributionFlag(url=chain.url, url_key=key, host=chain.host, reason=reason, created=now, attempts=0)
        flag.attempts += 1
        flag.detail, flag.updated = detail, now
        flag.retry_at = now + _delay(flag.attempts, chain.retry_after) if reason in RETRIED else None
        flag.save()
    for reason, flag in open_flags.items():
        if reason not in found:
            flag.open, flag.resolved, flag.updated = False, now, now
            flag.resolved_by, flag.resolution, flag.retry_at = SYSTEM, "attributed again without this problem", None
            flag.save()


def _delay(attempts: int, retry_after: float | None) -> timedelta:
    backoff = min(RETRY_BASE * 2 ** (attempts - 1), RETRY_CAP)
    return max(backoff, timedelta(seconds=retry_after or 0))


def get_attribution(url: str) -> Attribution | None:
    return Attribution.objects.filter(url_key=normalize_url(url).key).first()


def recipients_for(url: str, *, attributor: Attributor | None = None, max_age: timedelta | None = None) -> list[Recipient]:
    """Who a notice about ``url`` goes to: the stored attribution's recipients (override or
    directory first, then RDAP; the registrar last when configured). With ``attributor``, a
    URL never attributed, or attributed longer than ``max_age`` ago, is attributed first.
    An empty list means nobody was found: the URL has an open flag saying why."""
    row = get_attribution(url)
    stale = row is not None and max_age is not None and row.attributed < timezone.now() - max_age
    if attributor is not None and (row is None or stale):
        row, _ = attribute(url, attributor=attributor)
    if row is None:
        return []
    return [Recipient.from_dict(value) for value in row.recipients]


def retry_due(attributor: Attributor, *, now: datetime | None = None, limit: int = 100) -> list[Attribution]:
    """Attribute again every URL with an open flag whose retry time has come."""
    moment = now or timezone.now()
    due = (AttributionFlag.objects.filter(open=True, retry_at__lte=moment).order_by("retry_at")
           .values_list("url", flat=True))
    urls = list(dict.fromkeys(due[: limit * 4]))[:limit]
    done = []
    for url in urls:
        sighting_ip = Sighting.objects.filter(url_key=normalize_url(url).key).exclude(ip=None).values_list(
            "ip", flat=True).order_by("-seen_at").first()
        done.append(attribute(url, attributor=attributor, address=sighting_ip)[0])
    return done


def pending_urls(limit: int = 1000) -> Iterator[tuple[str, str | None]]:
    """(media URL, address the crawler connected to) of matched sightings not attributed yet,
    then their pages' URLs, newest sightings first."""
    attributed = Attribution.objects.filter(url_key=OuterRef("url_key"))
    matched = SightingMatch.objects.filter(sighting=OuterRef("pk"))
    rows = (Sighting.objects.filter(Exists(matched)).exclude(Exists(attributed))
            .order_by("-seen_at").values_list("url", "ip")[:limit])
    seen: set[str] = set()
    for url, ip in rows:
        if url not in seen:
            seen.add(url)
            yield url, ip
    pages = (Sighting.objects.filter(Exists(matched), page__isnull=False).select_related("page")
             .order_by("-seen_at")[:limit])
    for sighting in pages:
        page_url = sighting.page.url
        if page_url not in seen and get_attribution(page_url) is None:
            seen.add(page_url)
            yield page_url, None


def open_flags(limit: int = 1000) -> list[AttributionFlag]:
    return list(AttributionFlag.objects.filter(open=True).order_by("created")[:limit])


def resolve_flag(flag_id: int, *, actor: Actor, resolution: str) -> AttributionFlag:
    """An analyst closes a flag, saying what they did (audited)."""
    if not resolution.strip():
        raise AttributionError("closing a flag needs a resolution")
    with transaction.atomic():
        flag = AttributionFlag.objects.select_for_update().filter(pk=flag_id, open=True).first()
        if flag is None:
            raise AttributionError(f"no open attribution flag {flag_id}")
        now = timezone.now()
        flag.open, flag.resolved, flag.updated, flag.retry_at = False, now, now, None
        flag.resolved_by, flag.resolution = actor.name, resolution.strip()
        flag.save()
        record(AuditAction.ATTRIBUTION_FLAG_RESOLVE, actor=actor, target_type="attribution-flag",
               target_id=flag.pk, after={"url": flag.url, "reason": flag.reason, "resolution": flag.resolution})
    return flag
