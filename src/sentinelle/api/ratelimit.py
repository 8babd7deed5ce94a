"""Per-token rate limits: a fixed one-minute window, counted in one round trip per call.

The count lives in Redis when ``SENTINELLE_REDIS_URL`` is set, in the database otherwise
(:mod:`sentinelle.partners.counters`); both are atomic and shared by every server process,
so two workers (or twenty) admit a token's allowance once between them, not once each. The
same round trip returns the token generation that validates a cached token
(:mod:`sentinelle.api.auth`). A token's own ``rate_limit`` wins over
``SENTINELLE_API_RATE_PER_MINUTE``; 0 means unlimited (the call is still counted). Every
call a token authenticates counts, including one then refused for a missing scope. Windows
are real time, not the simulated clock of the demo: they protect the server, not a schedule.
"""

from __future__ import annotations

import math

from sentinelle.api.errors import ApiProblem
from sentinelle.config import integer
from sentinelle.partners.counters import Counters, Hit

SETTING = "SENTINELLE_API_RATE_PER_MINUTE"
WINDOW_SECONDS = 60


def allowance(token_limit: int | None) -> int:
    return integer(SETTING, minimum=0) if token_limit is None else token_limit


def count(token_id: int, store: Counters, moment: float) -> Hit:
    """Count one call of the token in the minute of ``moment`` (seconds since the epoch)."""
    return store.hit(token_id, int(moment // WINDOW_SECONDS))


def enforce(used: int, token_limit: int | None, moment: float) -> None:
    """:class:`ApiProblem` 429 once ``used`` is over the token's allowance for the minute."""
    allowed = allowance(token_limit)
    if allowed == 0 or used <= allowed:
        return
    window = int(moment // WINDOW_SECONDS)
    retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - moment))
    raise ApiProblem(
        429, "rate-limited", f"This token may make {allowed} calls a minute.",
        {"limit": allowed, "window_seconds": WINDOW_SECONDS, "retry_after": retry_after},
    )
