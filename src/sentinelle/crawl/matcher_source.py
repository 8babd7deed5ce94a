"""Where the hashing workers load their matcher from.

* ``--list`` (files or stored lists by name): the lists are read once by the command
  (a bad list stops it), a matcher is built and saved to a scratch folder;
* no ``--list``: every enabled stored list, through :class:`sentinelle.banks.index
  .IndexCache`, whose saved folder the workers load; a queue worker looks again before
  each claim and moves the workers to the new generation when the lists changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from sentinelle.banks.index import IndexCache
from sentinelle.crawl.hashing_pool import MatcherSource
from sentinelle.engine.matcher import Matcher
from sentinelle.engine.store import save_matcher
from sentinelle.lists import HashList


def file_lists(lists: Sequence[HashList], scratch: Path) -> MatcherSource:
    matcher = Matcher(lists)
    digest = hashlib.sha256()
    for entry in matcher.entries:
        digest.update(json.dumps([entry.list, entry.signal_type, entry.hash, entry.threshold]).encode())
    generation = f"lists-{digest.hexdigest()[:16]}"
    folder = scratch / "matcher"
    save_matcher(matcher, folder, generation=generation)
    return MatcherSource(folder, generation)


class StoredLists:
    """The enabled stored lists (call :meth:`current` on a thread with a database)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.cache = IndexCache(folder)

    def current(self) -> MatcherSource:
        self.cache.matcher()
        generation = self.cache.loaded_generation
        assert generation is not None
        return MatcherSource(self.cache.folder, generation)

    def count(self) -> int:
        return len(self.cache.matcher())
