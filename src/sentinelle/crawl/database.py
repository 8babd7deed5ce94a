"""The crawler's database work, off the reactor: one writer thread and one reader thread.

Django's ORM blocks; run in the reactor's thread it would stall every download. Writes
(sightings, pages, review media, request status) go to one thread, in order, so SQLite's
single writer is never contended by the crawler itself; reads (do-not-act checks) go to
another, which WAL mode lets run beside the writer. Each thread keeps its own connection,
closed by :meth:`Database.close`, and replaces it only when it failed or outlived
``CONN_MAX_AGE`` (Django's ``close_old_connections`` would close a SQLite connection, whose
``CONN_MAX_AGE`` is 0, before every call: reopening it cost more than most calls).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

from django.db import connections

P = ParamSpec("P")
T = TypeVar("T")


def _in_thread(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    _replace_broken_connections()
    return work(*args, **kwargs)


def _replace_broken_connections() -> None:
    """A connection that failed (the server dropped it...), was left outside autocommit, or
    outlived a non-zero ``CONN_MAX_AGE`` is closed (the next query opens a new one); a
    healthy one is kept for the thread's life."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        if (
            connection.errors_occurred
            or connection.settings_dict.get("CONN_MAX_AGE")
            or connection.get_autocommit() != connection.settings_dict["AUTOCOMMIT"]
        ):
            connection.close_if_unusable_or_obsolete()


class Database:
    """Runs ORM calls on the crawler's database threads; awaitable from the reactor."""

    def __init__(self) -> None:
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="sentinelle-db-write")
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="sentinelle-db-read")

    async def write(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        future = self._writer.submit(partial(_in_thread, work, *args, **kwargs))
        return await asyncio.wrap_future(future)

    async def read(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        future = self._reader.submit(partial(_in_thread, work, *args, **kwargs))
        return await asyncio.wrap_future(future)

    def run(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run on the writer thread and wait (outside the reactor: start-up, shut-down)."""
        return self._writer.submit(partial(_in_thread, work, *args, **kwargs)).result()

    def close(self) -> None:
        for executor in (self._writer, self._reader):
            executor.submit(connections.close_all).result()
            executor.shutdown(wait=True)
