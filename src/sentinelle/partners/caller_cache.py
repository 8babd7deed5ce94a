"""Authenticated tokens kept in each server process, so a call needs no token query.

An entry is the :class:`~sentinelle.partners.callers.Caller` a token authenticated as, keyed
by the token's SHA-256 (the plain token is not kept), with the token generation read just
before the token's row (:mod:`sentinelle.partners.counters`). The API compares that
generation with the one its per-call counter round trip returns: any change to a partner or
a token since (a revocation, a deactivation, new scopes or limits) makes it read the row
again, so a revocation applies to the next call in every process. An entry also lapses
after ``SENTINELLE_API_TOKEN_CACHE_SECONDS`` (0: no cache, one token query per call), which
bounds how long a change made around the services (``QuerySet.update()``) goes unseen, and
how stale ``last_used_at`` may be. Expiry dates are checked on every call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sentinelle.config import integer
from sentinelle.partners.callers import Caller, authenticate
from sentinelle.partners.counters import Counters
from sentinelle.partners.exceptions import AuthenticationFailed
from sentinelle.partners.tokens import looks_like_token, token_hash

SETTING = "SENTINELLE_API_TOKEN_CACHE_SECONDS"
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class Entry:
    caller: Caller
    generation: int | None  #: None: not cached (the cache is off)
    until: float  #: time.monotonic() after which the row is read again


_entries: dict[str, Entry] = {}


def lifetime() -> int:
    return integer(SETTING, minimum=0)


def cached(token: str) -> Entry | None:
    """The live entry of ``token``; :class:`AuthenticationFailed` for a malformed token."""
    if not token or not looks_like_token(token):
        raise AuthenticationFailed("malformed")
    entry = _entries.get(token_hash(token))
    if entry is None or entry.until <= time.monotonic() or lifetime() == 0:
        return None
    return entry


def load(token: str, store: Counters) -> Entry:
    """Read the token's row (and, first, the generation it is valid for) and keep it."""
    seconds = lifetime()
    if seconds == 0:
        return Entry(authenticate(token), None, 0.0)
    generation = store.generation()
    digest = token_hash(token)
    try:
        caller = authenticate(token)
    except AuthenticationFailed:
        _entries.pop(digest, None)
        raise
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    entry = Entry(caller, generation, time.monotonic() + seconds)
    _entries[digest] = entry
    return entry


def clear() -> None:
    _entries.clear()
