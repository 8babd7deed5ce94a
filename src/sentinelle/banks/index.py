"""The matcher over every enabled stored list: built from the database, saved, reloaded on change.

A *generation* stamp names what the index was built from: the newest change-log id
and the settings of every enabled list. A process asks :meth:`IndexCache.matcher`
for the current matcher; it reloads (from the saved folder when another process
already built that generation, else from the database) only when the stamp moved.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path

from django.db.models import Max

from sentinelle.banks.models import ListChange, StoredList
from sentinelle.banks.services import load_lists
from sentinelle.config import path_setting
from sentinelle.engine.matcher import Matcher
from sentinelle.engine.store import load_matcher, save_matcher, saved_generation
from sentinelle.matching import IndexFormatError

logger = logging.getLogger(__name__)


def index_dir() -> Path:
    return path_setting("SENTINELLE_INDEX_DIR", "index")


def generation() -> str:
    """A stamp that changes whenever a match could change: hashes added/removed, lists edited."""
    last_change = ListChange.objects.aggregate(last=Max("id"))["last"] or 0
    settings = [s.settings() for s in StoredList.objects.filter(enabled=True).order_by("name")]
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    return f"{last_change}-{digest}"


class IndexCache:
    """Holds one process's matcher and swaps in a new one when the lists change."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or index_dir() / "current"
        self._lock = threading.Lock()
        self._matcher: Matcher | None = None
        self._generation: str | None = None

    @property
    def loaded_generation(self) -> str | None:
        return self._generation

    def matcher(self) -> Matcher:
        current = generation()
        with self._lock:
            if self._matcher is None or self._generation != current:
                self._matcher = self._load(current)
                self._generation = current
            return self._matcher

    def _load(self, current: str) -> Matcher:
        if saved_generation(self.folder) == current:
            try:
                return load_matcher(self.folder)
            except IndexFormatError:
                logger.warning("saved index in %s is damaged; rebuilding", self.folder)
        matcher = Matcher(load_lists())
        save_matcher(matcher, self.folder, generation=current)
        return matcher
