"""The crawler's database work, off the reactor: one writer thread and one reader thread.

Django's ORM blocks; run in the reactor's thread it would stall every download. Writes
(sightings, pages, review media, request status) go to one thread, in order, so SQLite's
single writer is never contended by the crawler itself; reads (do-not-act checks) go to
another, which WAL mode lets run beside the writer. Each thread keeps its own connection,
closed by :meth:`Database.close`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

from django.db import close_old_connections, connections

P = ParamSpec("P")
T = TypeVar("T")


def _in_thread(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    close_old_connections()  # a connection the server dropped is replaced, not reused
    return work(*args, **kwargs)


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
