"""The egress guard: the crawler connects only to public addresses, and only to the one it checked.

* :class:`EgressPolicy` decides for one address and port: refused for a reason from the table
  in :mod:`.egress_addresses` (private, loopback, link-local, metadata...), or allowed; the
  only exceptions are the CIDR:PORT entries of ``SENTINELLE_EGRESS_ALLOW``
  (:mod:`.egress_allowlist`).
* :class:`EgressGuard` resolves a URL's host **once**, refuses the URL if **any** answered
  address is refused, and returns the checked addresses. The connection must then go to one
  of them, without a second lookup: :mod:`.egress_download` does that for Scrapy.

Why refuse when any answer is refused, rather than keep the good ones: whoever controls a
domain's DNS controls the answer. An answer mixing a public and a private address
(``93.184.216.34, 127.0.0.1``) is a probe, and a client that falls back from one address to
the next could be steered to the private one by making the public one fail.

Why resolve once and connect to the checked address: resolving again at connection time
(what an HTTP client does with a host name) lets a DNS server with a zero TTL answer a public
address to the check and 127.0.0.1 to the connection (DNS rebinding).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sentinelle.config import setting
from sentinelle.crawl.egress_addresses import BAD_PORTS, Address, classify, effective
from sentinelle.crawl.egress_allowlist import SETTING, AllowEntry, parse_allowlist
from sentinelle.crawl.egress_exceptions import EgressBlocked, Refusal
from sentinelle.crawl.egress_urls import url_target

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sentinelle.resolver import Resolver

__all__ = [
    "Destination",
    "EgressBlocked",
    "EgressGuard",
    "EgressPolicy",
    "Refusal",
    "Verdict",
]


@dataclass(frozen=True)
class Verdict:
    """The policy's answer for one address and port.

    ``address`` is where a connection really goes (an IPv4-mapped IPv6 address becomes its
    IPv4 address); ``reason`` is ``None`` when allowed; ``allowlisted`` says an entry of
    ``SENTINELLE_EGRESS_ALLOW`` allowed what the table refuses.
    """

    address: Address
    port: int
    reason: Refusal | None
    detail: str = ""
    allowlisted: bool = False

    @property
    def allowed(self) -> bool:
        return self.reason is None


class EgressPolicy:
    """Which (address, port) the crawler may connect to."""

    def __init__(self, allow: Iterable[AllowEntry] = ()) -> None:
        self.allow: tuple[AllowEntry, ...] = tuple(allow)

    @classmethod
    def from_environment(cls) -> EgressPolicy:
        """The policy with the exceptions of ``SENTINELLE_EGRESS_ALLOW`` (ConfigurationError)."""
        return cls(parse_allowlist(setting(SETTING) or ""))

    def decide(self, address: Address, port: int) -> Verdict:
        target = effective(address)
        refused = classify(target)
        if refused is None and port in BAD_PORTS:
            refused = Refusal.BAD_PORT, f"port {port} is one browsers refuse"
        if refused is None:
            return Verdict(target, port, None)
        if any(entry.allows(target, port) for entry in self.allow):
            return Verdict(target, port, None, f"allowed by {SETTING}", allowlisted=True)
        reason, detail = refused
        return Verdict(target, port, reason, detail)


@dataclass(frozen=True)
class Destination:
    """A checked URL: where to connect (``addresses``, in order) and what to call the host
    (the ``Host`` header and, for https, the TLS server name and certificate name)."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[Address, ...]

    @property
    def targets(self) -> list[tuple[Address, int]]:
        return [(address, self.port) for address in self.addresses]


class EgressGuard:
    """Resolves a URL's host once with ``resolver`` and checks every answer with ``policy``."""

    def __init__(self, policy: EgressPolicy, resolver: Resolver) -> None:
        self.policy = policy
        self.resolver = resolver

    def check(self, url: str) -> list[tuple[Address, int]]:
        """The (address, port) pairs ``url`` may be fetched from; :class:`EgressBlocked` if none.

        The resolver's errors (``UnknownHost``...) pass through unchanged.
        """
        return self.destination(url).targets

    def destination(self, url: str) -> Destination:
        """Like :meth:`check`, with the host name a connection to the addresses must use."""
        target = url_target(url)
        if target.literal is not None:
            answers = [target.literal]  # an address is never sent to a resolver
        else:
            answers = self.resolver.resolve(target.host)  # the one lookup for this request
        if not answers:
            raise EgressBlocked(Refusal.INVALID_URL, url, detail="the resolver gave no address")
        checked: list[Address] = []
        for answer in answers:
            verdict = self.policy.decide(answer, target.port)
            if verdict.reason is not None:
                raise EgressBlocked(verdict.reason, url, answer, verdict.detail)
            if verdict.address not in checked:
                checked.append(verdict.address)
        return Destination(url, target.scheme, target.host, target.port, tuple(checked))
