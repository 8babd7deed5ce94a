"""The index the API's web workers match against: built aside, swapped in, memory-mapped.

Layout under ``$SENTINELLE_INDEX_DIR/serving/``: one folder per build (``gen-<stamp>-<ns>``,
see :mod:`.served_index`) and a ``CURRENT`` file naming the folder in use. A build writes a
hidden staging folder, renames it into place, then replaces ``CURRENT`` (``os.replace``:
readers see the old name or the new one, never half of either). Superseded folders are deleted
one grace period later (``SENTINELLE_API_INDEX_GRACE_SECONDS``); a worker that still maps one
keeps its pages (an unlinked file stays mapped).

Each web worker holds one :class:`ServingIndex`. At most once per second it stats ``CURRENT``;
when the file changed it loads the new folder (memory-mapped: every worker shares the page
cache) and swaps its reference. A request that already holds the old matcher finishes with it;
while one thread loads, the others keep answering from the old matcher.

Who builds: the background worker (:class:`.serving_schedule.ServingIndexRebuild` enqueues
:func:`.tasks.rebuild_serving_index` whenever :func:`.index.generation` moved). When no index
was ever built, or the one named is damaged, the web worker that needs it builds it itself
(under a file lock, so two workers never build at once): the embedded default answers without
a worker running, but only the worker follows later list changes.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Final

from django.db import DatabaseError

from sentinelle.banks.index import generation
from sentinelle.banks.served_index import ServedMatcher, load_served
from sentinelle.banks.serving_build import (
    POINTER,
    build,
    current_folder,
    grace_seconds,
    publish,
    published_generation,
    serving_dir,
)
from sentinelle.matching import IndexFormatError

logger = logging.getLogger(__name__)

#: Seconds between two looks at ``CURRENT`` in one process.
CHECK_EVERY: Final = 1.0

__all__ = ["POINTER", "ServingIndex", "build", "current_folder", "default_index", "publish",
           "published_generation", "readiness", "serving_dir"]


class ServingIndex:
    """One process's memory-mapped serving index, swapped when ``CURRENT`` changes."""

    def __init__(self, root: Path | None = None, *, check_every: float = CHECK_EVERY) -> None:
        self._root = root
        self.check_every = check_every
        self._lock = threading.Lock()
        self._matcher: ServedMatcher | None = None
        self._stamp: tuple[int, int] | None = None
        self._next_check = 0.0
        self.stale_since: dict[str, float] = {}

    @property
    def root(self) -> Path:
        return self._root or serving_dir()

    @property
    def loaded(self) -> ServedMatcher | None:
        return self._matcher

    def matcher(self) -> ServedMatcher:
        """The matcher to use for this request (hold on to it until the request ends)."""
        held = self._matcher
        if held is not None and time.monotonic() < self._next_check:
            return held
        if not self._lock.acquire(blocking=held is None):
            return held  # type: ignore[return-value]  # held is set: another thread is swapping
        try:
            if self._matcher is None or time.monotonic() >= self._next_check:
                self._refresh()
                self._next_check = time.monotonic() + self.check_every
            assert self._matcher is not None
            return self._matcher
        finally:
            self._lock.release()

    def _refresh(self) -> None:
        stamp = self._pointer_stamp()
        if self._matcher is not None and stamp == self._stamp:
            return
        folder = current_folder(self.root)
        if folder is None:
            logger.warning("no serving index in %s yet: building it in this process", self.root)
            build(self.root)
            folder = current_folder(self.root)
        try:
            matcher = load_served(folder)  # type: ignore[arg-type]  # published just above
        except (IndexFormatError, OSError) as exc:
            newer = current_folder(self.root)
            if newer is not None and newer != folder:  # superseded while we read it: take the new one
                matcher = load_served(newer)
            else:
                logger.warning("serving index %s is unusable (%s): rebuilding it", folder, exc)
                build(self.root, force=True)
                matcher = load_served(current_folder(self.root))  # type: ignore[arg-type]
        self._matcher, self._stamp = matcher, self._pointer_stamp()

    def _pointer_stamp(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self.root / POINTER)
        except FileNotFoundError:
            return None
        return status.st_ino, status.st_mtime_ns


_default = ServingIndex()


def default_index() -> ServingIndex:
    return _default


def readiness(index: ServingIndex | None = None) -> tuple[bool, dict[str, object]]:
    """Ready when the index is loaded and built from the lists as they are now (or was, less than
    the grace period ago: the worker is rebuilding it)."""
    index = index or _default
    try:
        matcher = index.matcher()
        wanted = generation()
    except (IndexFormatError, DatabaseError, OSError) as exc:
        return False, {"index": {"loaded": False, "reason": str(exc)}}
    current = matcher.generation == wanted
    if current:
        index.stale_since.clear()
    now = time.monotonic()
    behind = 0.0 if current else now - index.stale_since.setdefault(wanted, now)
    ready = current or behind < grace_seconds()
    return ready, {"index": {"loaded": True, "current": current, "generation": matcher.generation,
                             "lists_generation": wanted, "entries": len(matcher), "behind_seconds": round(behind, 1)}}
