"""Everything attribution needs, assembled in one place from the settings.

``build_attributor(resolver)``: the egress guard (``SENTINELLE_EGRESS_ALLOW``) over
``resolver`` (the system's by default: the sandbox passes its own), the fetcher, the RDAP
transport (``SENTINELLE_RDAP_URL``; empty turns RDAP off), the RDAP cache
(``SENTINELLE_RDAP_CACHE_HOURS``), the IP-to-ASN file (``SENTINELLE_ASN_DB``) and
``SENTINELLE_NOTIFY_REGISTRAR``. A malformed setting is a ConfigurationError, a bad ASN file
an AsnDatabaseError: both before any URL is looked at.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sentinelle.attribution.asndb import AsnDatabase, load_cached
from sentinelle.attribution.attributor import Attributor
from sentinelle.attribution.cache import RdapCache
from sentinelle.attribution.rdap import (
    FetcherTransport,
    OfflineTransport,
    RdapClient,
    RdapTransport,
)
from sentinelle.config import flag, integer, setting
from sentinelle.crawl.egress import EgressGuard, EgressPolicy
from sentinelle.crawl.fetch import Fetcher, FetchLimits
from sentinelle.resolver import Resolver, SystemResolver

USER_AGENT = "sentinelle-attribution"


def now() -> datetime:
    return datetime.now(UTC)


def asn_database(path: str | None = None) -> AsnDatabase | None:
    """The IP-to-ASN file named by ``path`` or ``SENTINELLE_ASN_DB``; None when neither is set."""
    chosen = path or setting("SENTINELLE_ASN_DB")
    return load_cached(chosen) if chosen else None


def cache_hours() -> int:
    return integer("SENTINELLE_RDAP_CACHE_HOURS", minimum=0)


def build_fetcher(resolver: Resolver) -> Fetcher:
    guard = EgressGuard(EgressPolicy.from_environment(), resolver)
    return Fetcher(guard, limits=FetchLimits(max_bytes=1_000_000, timeout=20.0), user_agent=USER_AGENT)


def build_attributor(
    resolver: Resolver | None = None,
    *,
    asn_db: str | None = None,
    refresh: bool = False,
    clock: Callable[[], datetime] = now,
) -> Attributor:
    chosen = resolver or SystemResolver()
    fetcher = build_fetcher(chosen)
    base = (setting("SENTINELLE_RDAP_URL") or "").strip()
    transport: RdapTransport = FetcherTransport(fetcher, clock) if base else OfflineTransport()
    cache = RdapCache(RdapClient(transport, base or "rdap:/"), hours=cache_hours(), clock=clock, refresh=refresh)
    return Attributor(
        resolver=chosen, cache=cache, fetcher=fetcher, asn_db=asn_database(asn_db),
        notify_registrar=flag("SENTINELLE_NOTIFY_REGISTRAR"), clock=clock,
    )
