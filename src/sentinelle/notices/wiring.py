"""What the notices' background work needs from outside, assembled in one place.

The intake attributes URLs (RDAP through the egress guard) and the rechecks fetch them
(through the egress guard too): both need a :class:`~sentinelle.resolver.Resolver` (the
system's, or the sandbox's). Tasks cannot be handed arguments like these, so a process
installs its :class:`Wiring` once (``sentinelle worker`` does, from its command line; the demo
does, with the sandbox's resolver) and the tasks read :func:`current`. The time is the
process's clock (:mod:`sentinelle.clock`, installed the same way). Settings are read when a
part is built, not when the wiring is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from sentinelle import clock as clocks
from sentinelle.attribution.attributor import Attributor
from sentinelle.attribution.wiring import build_attributor
from sentinelle.crawl.egress import EgressGuard, EgressPolicy
from sentinelle.crawl.fetch import Fetcher, FetchLimits
from sentinelle.hashing.decode import DEFAULT_LIMITS
from sentinelle.resolver import Resolver, SystemResolver

USER_AGENT: Final = "sentinelle-recheck"
#: A recheck reads at most what the hashing accepts, within a minute.
RECHECK_LIMITS: Final = FetchLimits(max_bytes=DEFAULT_LIMITS.max_bytes, timeout=60.0, connect_timeout=10.0)


@dataclass
class Wiring:
    resolver: Resolver = field(default_factory=SystemResolver)

    def now(self) -> datetime:
        """The time by the process's clock (:func:`sentinelle.clock.current`)."""
        return clocks.current().now()

    def fetcher(self) -> Fetcher:
        """The rechecks' fetcher: the crawler's egress guard over this resolver."""
        guard = EgressGuard(EgressPolicy.from_environment(), self.resolver)
        return Fetcher(guard, limits=RECHECK_LIMITS, user_agent=USER_AGENT)

    def attributor(self) -> Attributor:
        return build_attributor(self.resolver, clock=self.now)


_installed: Wiring | None = None


def install(wiring: Wiring | None) -> Wiring | None:
    """Use ``wiring`` in this process from now on (None: the default); the previous one."""
    global _installed
    previous, _installed = _installed, wiring
    return previous


def current() -> Wiring:
    """The installed wiring, else the default: the system's resolver."""
    return _installed or Wiring()
