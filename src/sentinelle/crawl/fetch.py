"""A small synchronous HTTP client behind the egress guard, for everything that is not a crawl.

RDAP look-ups, CDN origin look-ups, rechecks and the partner API fetch URLs that strangers
control (an RDAP redirect may point anywhere). :class:`Fetcher` fetches them the way the
crawler does (docs/crawl.md):

* each URL, and each redirect hop, is resolved **once** by :class:`.EgressGuard` and every
  answered address checked; a refusal raises :class:`.EgressBlocked` before anything touches
  the network;
* the connection goes to a checked address (the next one only when one cannot be reached),
  never to the name: urllib3 is given the address, and the ``Host`` header, the TLS server
  name (SNI) and the certificate name are set to the URL's host;
* the body is capped (``Content-Length`` first, then as it arrives, after decompression too)
  and so is the whole exchange's time; no proxy is ever used.

``fetcher.get(url)`` returns a :class:`Fetched`: status, headers, body, the final URL and the
hops on the way, each with the address it connected to.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import ConnectTimeoutError
from urllib3.exceptions import HTTPError as Urllib3Error

from sentinelle.crawl.egress import Destination, EgressGuard
from sentinelle.crawl.fetch_body import read_body
from sentinelle.crawl.fetch_exceptions import (
    FetchError,
    FetchFailed,
    ResponseTooLarge,
    TooManyRedirects,
)

REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
#: Headers that never follow a redirect to another origin.
_PRIVATE: Final = frozenset({"authorization", "cookie", "proxy-authorization"})

__all__ = [
    "FetchError",
    "FetchFailed",
    "FetchLimits",
    "Fetched",
    "Fetcher",
    "Hop",
    "ResponseTooLarge",
    "TooManyRedirects",
]


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int = 2_000_000  #: body size, after decompression
    timeout: float = 15.0  #: the whole exchange, every hop included
    connect_timeout: float = 5.0  #: one connection attempt
    max_redirects: int = 5


@dataclass(frozen=True)
class Hop:
    """One request on the way: its URL, status, ``Location`` and the address connected to."""

    url: str
    status: int
    address: str
    location: str | None = None


@dataclass(frozen=True)
class Fetched:
    url: str  #: the URL asked for
    final_url: str
    status: int
    headers: Mapping[str, str]  #: lower-case names
    body: bytes
    hops: tuple[Hop, ...] = field(default=())

    @property
    def address(self) -> str:
        """The address the final answer came from."""
        return self.hops[-1].address

    @property
    def redirects(self) -> list[str]:
        """The URLs that redirected, in order (empty when the first answer was final)."""
        return [hop.url for hop in self.hops[:-1]]


class Fetcher:
    """GET (or another method) through ``guard``; ``follow`` redirects, re-checked hop by hop."""

    def __init__(
        self,
        guard: EgressGuard,
        *,
        limits: FetchLimits = FetchLimits(),
        user_agent: str = "sentinelle",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.guard = guard
        self.limits = limits
        self.user_agent = user_agent
        self.tls = tls

    def get(self, url: str, *, headers: Mapping[str, str] | None = None, follow: bool = True) -> Fetched:
        return self.request("GET", url, headers=headers, follow=follow)

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        follow: bool = True,
    ) -> Fetched:
        deadline = time.monotonic() + self.limits.timeout
        sent = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate", **(headers or {})}
        hops: list[Hop] = []
        current = url
        while True:
            destination = self.guard.destination(current)  # EgressBlocked, UnknownHost
            status, answer, content, address = self._exchange(destination, method, body, sent, deadline)
            location = answer.get("location")
            hops.append(Hop(current, status, address, location))
            if not (follow and status in REDIRECTS and location):
                return Fetched(url, current, status, answer, content, tuple(hops))
            if len(hops) > self.limits.max_redirects:
                raise TooManyRedirects(f"more than {self.limits.max_redirects} redirects", url)
            target = urljoin(current, location)
            if status == 303 or (status in (301, 302) and method == "POST"):
                method, body = "GET", None
            if _origin(target) != _origin(current):
                sent = {k: v for k, v in sent.items() if k.lower() not in _PRIVATE}
            current = target

    def _exchange(
        self,
        destination: Destination,
        method: str,
        body: bytes | None,
        headers: Mapping[str, str],
        deadline: float,
    ) -> tuple[int, dict[str, str], bytes, str]:
        url = destination.url
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default = 443 if destination.scheme == "https" else 80
        host = destination.host if ":" not in destination.host else f"[{destination.host}]"
        wire = {**headers, "Host": host if destination.port == default else f"{host}:{destination.port}"}
        failure: Exception | None = None
        for address in destination.addresses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            timeout = urllib3.Timeout(connect=min(self.limits.connect_timeout, remaining), read=remaining)
            pool = self._pool(destination, str(address), timeout)
            try:
                response = pool.urlopen(
                    method, target, body=body, headers=wire, redirect=False, retries=False,
                    preload_content=False, decode_content=False, assert_same_host=False,
                )
            except ConnectTimeoutError as error:  # this address cannot be reached: try the next
                failure = error
                pool.close()
                continue
            except Urllib3Error as error:  # reached, then it broke (TLS, protocol, read timeout)
                pool.close()
                raise FetchFailed(f"the exchange with {address} failed ({error})", url) from None
            try:
                content = read_body(response, url, self.limits.max_bytes, deadline)
                answer = {name.lower(): response.headers[name] for name in response.headers}
                return response.status, answer, content, str(address)
            finally:
                response.release_conn()
                pool.close()
        raise FetchFailed(f"no checked address answered ({failure or 'out of time'})", url)

    def _pool(self, destination: Destination, address: str, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
        if destination.scheme == "https":
            return urllib3.HTTPSConnectionPool(
                address, destination.port, timeout=timeout, retries=False, maxsize=1,
                ssl_context=self.tls or ssl.create_default_context(),
                server_hostname=destination.host, assert_hostname=destination.host,
            )
        return urllib3.HTTPConnectionPool(address, destination.port, timeout=timeout, retries=False, maxsize=1)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
