"""Due work for the scheduler: a serving index rebuild whenever the lists moved.

Asked at every tick, it compares the published index's generation with the database's
(one aggregate query and a small file read) and enqueues one rebuild per new generation.
An index that was never published is left to the first web request that needs it, so an
installation that does not use the API never builds one;
``REQUESTED`` remembers what was enqueued, so a slow build is not queued again every tick
(again after ten minutes, in case the worker that took it died).
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Final

from sentinelle.banks.index import generation
from sentinelle.banks.serving import published_generation, serving_dir

REQUESTED: Final = "REQUESTED"
REQUEST_AGAIN_AFTER: Final = 600.0


class ServingIndexRebuild:
    name = "serving-index"

    def enqueue_due(self, now: datetime, limit: int) -> int:
        from sentinelle.banks.tasks import rebuild_serving_index

        root = serving_dir()
        wanted = generation()
        published = published_generation(root)
        if limit < 1 or published is None or published == wanted or self._requested(root, wanted):
            return 0  # never built (no API use yet: the first web request builds it), or current
        rebuild_serving_index.enqueue()
        root.mkdir(parents=True, exist_ok=True)
        temporary = root / f".{REQUESTED}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps({"generation": wanted, "at": time.time()}))
        os.replace(temporary, root / REQUESTED)
        return 1

    @staticmethod
    def _requested(root: Path, wanted: str) -> bool:
        try:
            asked = json.loads((root / REQUESTED).read_text())
        except (OSError, ValueError):
            return False
        return bool(asked.get("generation") == wanted and time.time() - float(asked.get("at", 0)) < REQUEST_AGAIN_AFTER)
