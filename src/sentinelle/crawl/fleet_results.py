"""What a fleet member tells the others about a media URL it fetched: JSON, never pickle.

One of:

* :class:`Fetched`: the :class:`~.visits.MediaOutcome` (digests, PDQ, matches, where and
  when the bytes answered; never the bytes) and the member holding the bytes (review). The
  PDQ's dihedral variants are left out: they serve matching, which the owner did already;
  sightings and the output need none of them (it halves the size of a result);
* :class:`Failed`: the fetch failed or the file was dropped (the reason, as in the stats);
* :class:`Alias`: the URL led to another media URL's fetch (a redirect merged into it).

:func:`decode` is strict: anything else is :class:`BadResult`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sentinelle.crawl.exceptions import CrawlError
from sentinelle.crawl.hashing_pool import HashedMedia
from sentinelle.crawl.visits import MediaOutcome
from sentinelle.engine.matcher import Match
from sentinelle.hashing import MediaProblem, PdqHash, PdqPath


class BadResult(CrawlError):
    """A shared result that cannot be read (another version, or damaged)."""


@dataclass(frozen=True)
class Fetched:
    outcome: MediaOutcome
    owner: str


@dataclass(frozen=True)
class Failed:
    reason: str


@dataclass(frozen=True)
class Alias:
    key: str


Result = Fetched | Failed | Alias


def encode(result: Result) -> str:
    if isinstance(result, Failed):
        body: dict[str, Any] = {"failed": result.reason}
    elif isinstance(result, Alias):
        body = {"alias": result.key}
    else:
        body = {"fetched": _outcome(result.outcome), "owner": result.owner}
    return json.dumps(body, separators=(",", ":"), allow_nan=False)


def _outcome(outcome: MediaOutcome) -> dict[str, Any]:
    hashed = outcome.hashed
    pdq = hashed.pdq
    return {
        "url": outcome.url,
        "status": outcome.status,
        "ip": outcome.ip,
        "seen_at": outcome.seen_at.isoformat(),
        "size": hashed.size,
        "sha256": hashed.sha256,
        "md5": hashed.md5,
        "sha1": hashed.sha1,
        "mime": hashed.mime,
        "width": hashed.width,
        "height": hashed.height,
        "pdq": None if pdq is None else [pdq.hash, pdq.quality, pdq.path.value],
        "problem": None if hashed.problem is None else [hashed.problem.kind, hashed.problem.reason],
        "matches": [match.as_dict() for match in hashed.matches],
    }


def decode(text: str | bytes) -> Result:
    try:
        body = json.loads(text)
        if "failed" in body:
            return Failed(str(body["failed"]))
        if "alias" in body:
            return Alias(str(body["alias"]))
        return Fetched(_read_outcome(body["fetched"]), str(body["owner"]))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise BadResult(f"unreadable fleet result: {error!r}") from None


def _read_outcome(raw: dict[str, Any]) -> MediaOutcome:
    pdq = raw["pdq"]
    problem = raw["problem"]
    hashed = HashedMedia(
        size=int(raw["size"]),
        sha256=str(raw["sha256"]),
        md5=str(raw["md5"]),
        sha1=str(raw["sha1"]),
        mime=str(raw["mime"]),
        width=None if raw["width"] is None else int(raw["width"]),
        height=None if raw["height"] is None else int(raw["height"]),
        pdq=None if pdq is None else PdqHash(str(pdq[0]), int(pdq[1]), PdqPath(pdq[2])),
        problem=None if problem is None else MediaProblem(str(problem[0]), str(problem[1])),
        matches=tuple(Match(**match) for match in raw["matches"]),
    )
    seen_at = datetime.fromisoformat(raw["seen_at"])
    if seen_at.tzinfo is None:
        raise ValueError("seen_at has no time zone")
    ip = raw["ip"]
    return MediaOutcome(hashed, str(raw["url"]), int(raw["status"]), None if ip is None else str(ip), seen_at)
