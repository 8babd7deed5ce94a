"""Matching for partners: what they may see, and how an image becomes an answer.

Which matches a partner sees (the same rule for every partner with the ``match`` scope, as
Arachnid Shield answers from its verified list): entries of **enabled, verified** lists whose
category is ``csam`` or ``harmful-abusive``. Unverified lists (imports not yet confirmed by
analysts) and other categories never show in an answer; the listed hash is never disclosed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sentinelle.api.errors import ApiProblem
from sentinelle.api.match_schemas import HashQuery
from sentinelle.banks.served_index import ServedMatcher
from sentinelle.banks.served_table import ListInfo
from sentinelle.banks.serving import default_index
from sentinelle.config import integer
from sentinelle.engine.matcher import Match
from sentinelle.engine.scan import ScanSettings, scan_bytes
from sentinelle.hashing import DecodeLimits
from sentinelle.lists.categories import Category
from sentinelle.matching import EXACT_SIGNAL_TYPES, SIGNAL_WIDTHS

REPORTED = frozenset({Category.CSAM.value, Category.HARMFUL_ABUSIVE.value})


def reportable(info: ListInfo, category: str | None) -> bool:
    """Whether a partner may see a match on ``info``'s entry of ``category``."""
    return info.verified and category in REPORTED


def media_limit() -> int:
    return integer("SENTINELLE_API_MEDIA_MAX_BYTES", minimum=1)


def match_hashes(queries: Sequence[HashQuery], matcher: ServedMatcher | None = None) -> list[dict[str, Any]]:
    """Each query's reportable matches, in the order given (one index look-up per signal type)."""
    matcher = matcher or default_index().matcher()
    results: list[dict[str, Any]] = [
        {"signal_type": q.signal_type, "hash": q.hash, "matches": []} for q in queries
    ]
    by_type: dict[str, list[int]] = {}
    for position, query in enumerate(queries):
        by_type.setdefault(query.signal_type, []).append(position)
    for signal_type, positions in by_type.items():
        raw = bytes.fromhex("".join(queries[p].hash for p in positions))
        keys = np.frombuffer(raw, np.uint8).reshape(len(positions), SIGNAL_WIDTHS[signal_type])
        for position, found in zip(positions, matcher.lookup(signal_type, keys, reportable), strict=True):
            results[position]["matches"] = [m._asdict() for m in found]
    return results


def match_media(data: bytes, matcher: ServedMatcher | None = None) -> dict[str, Any]:
    """Hash ``data`` in memory (never stored) and match it the way the crawler does."""
    limit = media_limit()
    if len(data) > limit:
        raise ApiProblem(413, "media-too-large", f"The image is over the limit of {limit} bytes.",
                         {"limit_bytes": limit, "size_bytes": len(data)})
    if not data:
        raise ApiProblem(422, "empty-media", "The request body holds no image.")
    matcher = matcher or default_index().matcher()
    media, found = scan_bytes(data, matcher, ScanSettings(limits=DecodeLimits(max_bytes=limit)))
    shown = [m for m in found if reportable(matcher.lists[m.list], m.category)]
    if media.digests is None or (media.error is not None and not shown):
        problem = media.error
        raise ApiProblem(422, "undecodable-media", "The body is not an image sentinelle can read.",
                         {"kind": problem.kind if problem else "unreadable", "reason": problem.reason if problem else ""})
    return {
        "sha1": media.digests.sha1, "sha256": media.digests.sha256, "size": media.size,
        "classification": classify(shown), "match_type": match_type(shown),
        "matches": [{"list": m.list, "category": m.category, "signal_type": m.signal_type,
                     "distance": m.distance, "transform": m.transform} for m in shown],
    }


def classify(matches: Sequence[Match]) -> str:
    categories = {m.category for m in matches}
    if Category.CSAM.value in categories:
        return Category.CSAM.value
    if Category.HARMFUL_ABUSIVE.value in categories:
        return Category.HARMFUL_ABUSIVE.value
    return "no-known-match"


def match_type(matches: Sequence[Match]) -> str | None:
    if any(m.signal_type in EXACT_SIGNAL_TYPES for m in matches):
        return "exact"
    return "near" if matches else None
