"""Shared per-call state for the API, in one round trip: a token's calls this minute, and the
generation of partners and tokens (bumped by every change to them).

Two stores, picked by Django's cache: Redis when ``SENTINELLE_REDIS_URL`` sets it (a pipeline
of INCR, EXPIRE and GET), the database otherwise (one ``INSERT ... ON CONFLICT DO UPDATE ...
RETURNING`` that also reads :class:`~sentinelle.partners.models.TokenGeneration`, on
PostgreSQL and SQLite alike). Both are atomic, so every server process counts against the
same total. Counts are kept for two minutes; past minutes' database rows are deleted by each
process once per new minute.
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple, Protocol

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from sentinelle.partners.models import RateWindow, TokenGeneration

KEEP_SECONDS = 120
GENERATION_KEY = "api-token-generation"


class Hit(NamedTuple):
    used: int  #: calls of the token in this minute, this one included
    generation: int


class Counters(Protocol):
    def hit(self, token_id: int, minute: int) -> Hit: ...

    def generation(self) -> int: ...

    def bump(self) -> None: ...


class DatabaseCounters:
    def __init__(self) -> None:
        self._swept = -1
        self._lock = threading.Lock()

    def hit(self, token_id: int, minute: int) -> Hit:
        # table names come from the models, never from a request; the values are parameters
        rates, generations = RateWindow._meta.db_table, TokenGeneration._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {rates} (token_id, minute, used) VALUES (%s, %s, 1) "
                f"ON CONFLICT (token_id, minute) DO UPDATE SET used = {rates}.used + 1 "
                f"RETURNING used, (SELECT value FROM {generations} WHERE id = 1)",
                [token_id, minute],
            )
            used, generation = cursor.fetchone()
        self._sweep(minute)
        return Hit(int(used), int(generation or 0))

    def generation(self) -> int:
        found = TokenGeneration.objects.filter(id=1).values_list("value", flat=True).first()
        return int(found or 0)

    def bump(self) -> None:
        from django.db.models import F

        if not TokenGeneration.objects.filter(id=1).update(value=F("value") + 1):
            TokenGeneration.objects.get_or_create(id=1, defaults={"value": 1})

    def _sweep(self, minute: int) -> None:
        with self._lock:
            if self._swept == minute:
                return
            self._swept = minute
        RateWindow.objects.filter(minute__lt=minute - 1).delete()


class RedisCounters:
    def __init__(self, backend: RedisCache) -> None:
        self.backend = backend

    def _client(self, key: str) -> Any:
        return self.backend._cache.get_client(key, write=True)

    def hit(self, token_id: int, minute: int) -> Hit:
        key = self.backend.make_and_validate_key(f"api-rate:{token_id}:{minute}")
        generation_key = self.backend.make_and_validate_key(GENERATION_KEY)
        pipe = self._client(key).pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, KEEP_SECONDS)
        pipe.get(generation_key)
        used, _, generation = pipe.execute()
        return Hit(int(used), int(generation or 0))

    def generation(self) -> int:
        key = self.backend.make_and_validate_key(GENERATION_KEY)
        return int(self._client(key).get(key) or 0)

    def bump(self) -> None:
        key = self.backend.make_and_validate_key(GENERATION_KEY)
        self._client(key).incr(key)


_database = DatabaseCounters()


def counters() -> Counters:
    """The store of the configured cache (looked up per call: tests override the cache)."""
    backend = caches["default"]
    return RedisCounters(backend) if isinstance(backend, RedisCache) else _database
