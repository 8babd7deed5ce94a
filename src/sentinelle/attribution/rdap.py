"""The RDAP client: query URLs, one transport interface, and what its answers mean.

A query starts at a bootstrap service (``SENTINELLE_RDAP_URL``, https://rdap.org/ by default:
it redirects each query to the registry that holds the resource) and follows the redirects;
links found in answers (an entity's ``self``, a network's ``up``) are fetched the same way.
Every fetch goes through the egress guard (:class:`sentinelle.crawl.fetch.Fetcher`): a
redirect may point anywhere.

Transports (:class:`RdapTransport`): :class:`FetcherTransport` (the network) and
:class:`OfflineTransport` (RDAP turned off: every query is unavailable). Their errors:

| answer | error |
| --- | --- |
| 404 (with its RDAP error object) | :class:`RdapNotFound` |
| 429, 5xx, no connection, timeout, host not resolved | :class:`RdapUnavailable` (``retry_after`` from ``Retry-After``) |
| a hop the egress guard refuses | :class:`RdapRefused` |
| not JSON, wrong object | :class:`RdapMalformed` |
| any other status | :class:`RdapError` |

No Django here.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Final
from urllib.parse import quote

from sentinelle.attribution.exceptions import (
    RdapError,
    RdapMalformed,
    RdapNotFound,
    RdapRefused,
    RdapUnavailable,
)
from sentinelle.attribution.rdap_objects import Address, error_text
from sentinelle.crawl.egress import EgressBlocked
from sentinelle.crawl.fetch import Fetcher, FetchError, ResponseTooLarge, TooManyRedirects
from sentinelle.resolver import ResolutionError

ACCEPT: Final = "application/rdap+json, application/json;q=0.9"


@dataclass(frozen=True)
class RdapDocument:
    """One RDAP answer: the URL asked, where it was finally answered, and its JSON."""

    url: str
    final_url: str
    redirects: tuple[str, ...]
    body: dict[str, Any]
    fetched_at: datetime

    @property
    def chain(self) -> list[str]:
        """Every URL on the way: the ones that redirected, then the one that answered."""
        return [*self.redirects, self.final_url]


class RdapTransport(ABC):
    @abstractmethod
    def get(self, url: str) -> RdapDocument:
        """The RDAP JSON at ``url`` (redirects followed), or an :class:`RdapError`."""


class OfflineTransport(RdapTransport):
    """RDAP turned off: every query is unavailable (for development and air-gapped use)."""

    def get(self, url: str) -> RdapDocument:
        raise RdapUnavailable("RDAP is turned off (SENTINELLE_RDAP_URL is empty)", url)


class FetcherTransport(RdapTransport):
    """Queries over HTTP(S) through the egress guard."""

    def __init__(self, fetcher: Fetcher, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.fetcher = fetcher
        self.clock = clock

    def get(self, url: str) -> RdapDocument:
        try:
            fetched = self.fetcher.get(url, headers={"Accept": ACCEPT})
        except EgressBlocked as error:
            raise RdapRefused(f"the egress guard refused {error.url} ({error.reason})", url) from None
        except ResponseTooLarge as error:
            raise RdapMalformed(f"the answer is too large ({error})", url) from None
        except TooManyRedirects as error:
            raise RdapError(str(error), url) from None
        except (FetchError, ResolutionError) as error:
            raise RdapUnavailable(f"no answer ({error})", url) from None
        status = fetched.status
        if status == 404:
            detail = error_text(_json_or_none(fetched.body))
            raise RdapNotFound(f"not found{': ' + detail if detail else ''}", url)
        if status == 429 or status >= 500:
            retry = retry_after(fetched.headers.get("retry-after"), self.clock())
            raise RdapUnavailable(_status(status, fetched.body), url, retry)
        if status != 200:
            raise RdapError(_status(status, fetched.body), url)
        body = _json_or_none(fetched.body)
        if not isinstance(body, dict):
            raise RdapMalformed("the answer is not a JSON object", url)
        return RdapDocument(url, fetched.final_url, tuple(fetched.redirects), body, self.clock())


def _status(status: int, body: bytes) -> str:
    detail = error_text(_json_or_none(body))
    return f"HTTP {status} ({detail})" if detail else f"HTTP {status}"


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


class RdapClient:
    """Builds query URLs from the bootstrap base and fetches them with ``transport``."""

    def __init__(self, transport: RdapTransport, base_url: str) -> None:
        self.transport = transport
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"

    def ip_url(self, address: Address | str) -> str:
        return f"{self.base_url}ip/{quote(str(address), safe=':/.')}"

    def domain_url(self, name: str) -> str:
        return f"{self.base_url}domain/{quote(name, safe='.-')}"

    def entity_url(self, handle: str) -> str:
        return f"{self.base_url}entity/{quote(handle, safe='-_.')}"

    def get(self, url: str) -> RdapDocument:
        return self.transport.get(url)
