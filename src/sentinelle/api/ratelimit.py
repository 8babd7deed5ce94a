"""Per-token rate limits: a fixed one-minute window counted in Django's cache.

The cache is Redis when ``SENTINELLE_REDIS_URL`` is set (atomic counts shared by every
server process), the database otherwise (settings.py). A token's own ``rate_limit`` wins
over ``SENTINELLE_API_RATE_PER_MINUTE``; 0 means unlimited. Windows are real time, not
the simulated clock of the demo: they protect the server, not a schedule.
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache

from sentinelle.api.errors import ApiProblem
from sentinelle.config import integer

SETTING = "SENTINELLE_API_RATE_PER_MINUTE"
WINDOW_SECONDS = 60


def allowance(token_limit: int | None) -> int:
    return integer(SETTING, minimum=0) if token_limit is None else token_limit


def charge(token_id: int, token_limit: int | None, *, now: float | None = None) -> None:
    """Count one call of the token; :class:`ApiProblem` 429 once its minute is used up."""
    allowed = allowance(token_limit)
    if allowed == 0:
        return
    moment = time.time() if now is None else now
    window = int(moment // WINDOW_SECONDS)
    key = f"api-rate:{token_id}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        used = 1
    if used > allowed:
        retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - moment))
        raise ApiProblem(
            429, "rate-limited", f"This token may make {allowed} calls a minute.",
            {"limit": allowed, "window_seconds": WINDOW_SECONDS, "retry_after": retry_after},
        )
