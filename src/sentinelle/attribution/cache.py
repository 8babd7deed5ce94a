"""RDAP answers cached in the database (``RdapCacheEntry``), with an expiry.

A fresh entry is used as it is. An expired one (or none) is fetched again; when the
registry cannot be reached (:class:`RdapUnavailable`), an expired entry is used anyway and
said to be ``stale``, with its age and the error; with no entry the error goes to the caller,
who flags the URL for a retry. Registries rate-limit: the cache is what keeps a crawl's
attributions from hammering them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from sentinelle.attribution.exceptions import RdapUnavailable
from sentinelle.attribution.models import RdapCacheEntry
from sentinelle.attribution.rdap import RdapClient, RdapDocument
from sentinelle.attribution.rdap_objects import (
    Address,
    Domain,
    Entity,
    IpNetwork,
    parse_domain,
    parse_entity,
    parse_network,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Cached(Generic[T]):
    """An RDAP object and where it came from: ``state`` is ``fetched`` (just now), ``cached``
    (a fresh entry) or ``stale`` (an expired entry, used because of ``error``)."""

    value: T
    document: RdapDocument
    state: str
    age: float
    error: str = ""

    def source(self) -> dict[str, object]:
        found: dict[str, object] = {
            "query": self.document.url,
            "answered_by": self.document.final_url,
            "redirects": list(self.document.redirects),
            "fetched": self.document.fetched_at.isoformat(),
            "age_seconds": round(self.age, 1),
            "cache": self.state,
        }
        if self.error:
            found["error"] = self.error
        return found


class RdapCache:
    """Cached RDAP look-ups; ``refresh`` fetches even fresh entries again."""

    def __init__(self, client: RdapClient, *, hours: float, clock: Callable[[], datetime], refresh: bool = False) -> None:
        self.client = client
        self.lifetime = timedelta(hours=hours)
        self.clock = clock
        self.refresh = refresh

    def network(self, address: Address) -> Cached[IpNetwork]:
        return self._get(RdapCacheEntry.Kind.NETWORK, str(address), self.client.ip_url(address), parse_network)

    def network_at(self, url: str) -> Cached[IpNetwork]:
        """The network at a link (a network's ``up`` link: its parent)."""
        return self._get(RdapCacheEntry.Kind.NETWORK, url, url, parse_network)

    def entity(self, url: str) -> Cached[Entity]:
        return self._get(RdapCacheEntry.Kind.ENTITY, url, url, parse_entity)

    def domain(self, name: str) -> Cached[Domain]:
        return self._get(RdapCacheEntry.Kind.DOMAIN, name, self.client.domain_url(name), parse_domain)

    def _get(self, kind: str, key: str, url: str, parse: Callable[[Any, str], T]) -> Cached[T]:
        now = self.clock()
        entry = RdapCacheEntry.objects.filter(kind=kind, key=key).first()
        if entry is not None and entry.expires > now and not self.refresh:
            return Cached(parse(entry.body, entry.final_url), _document(entry), "cached", _age(entry, now))
        try:
            document = self.client.get(url)
            value = parse(document.body, document.final_url)
        except RdapUnavailable as error:
            if entry is None:
                raise
            return Cached(parse(entry.body, entry.final_url), _document(entry), "stale", _age(entry, now), str(error))
        RdapCacheEntry.objects.update_or_create(
            kind=kind, key=key,
            defaults={"url": url, "final_url": document.final_url, "redirects": list(document.redirects),
                      "body": document.body, "fetched": document.fetched_at,
                      "expires": document.fetched_at + self.lifetime},
        )
        return Cached(value, document, "fetched", max(0.0, (now - document.fetched_at).total_seconds()))


def _document(entry: RdapCacheEntry) -> RdapDocument:
    return RdapDocument(entry.url, entry.final_url, tuple(entry.redirects), entry.body, entry.fetched)


def _age(entry: RdapCacheEntry, now: datetime) -> float:
    return max(0.0, (now - entry.fetched).total_seconds())
