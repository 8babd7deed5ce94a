"""``--output``: one JSON object per sighting, with its matches (JSON Lines)."""

from __future__ import annotations

import json
from typing import TextIO

from sentinelle.crawl.visits import Crawl, MediaOutcome


def sighting_record(
    outcome: MediaOutcome, *, page_url: str | None, crawl: Crawl, recorded: bool
) -> dict[str, object]:
    hashed = outcome.hashed
    pdq = hashed.pdq
    return {
        "url": outcome.url,
        "page": page_url,
        "sha256": hashed.sha256,
        "md5": hashed.md5,
        "sha1": hashed.sha1,
        "size": hashed.size,
        "mime": hashed.mime,
        "width": hashed.width,
        "height": hashed.height,
        "pdq": pdq.hash if pdq else None,
        "quality": pdq.quality if pdq else None,
        "pdq_path": pdq.path.value if pdq else None,
        "problem": hashed.problem.kind if hashed.problem else None,
        "ip": outcome.ip,
        "http_status": outcome.status,
        "seen_at": outcome.seen_at.isoformat(),
        "run": crawl.run,
        "crawl_request": crawl.request_pk,
        "recorded": recorded,
        "matches": [match.as_dict() for match in hashed.matches],
    }


class SightingWriter:
    """Writes sightings to ``stream`` (or nowhere), one line each, flushed per line."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def write(self, record: dict[str, object]) -> None:
        if self.stream is None:
            return
        self.stream.write(json.dumps(record, separators=(",", ":")) + "\n")
        self.stream.flush()
