"""Is a noticed file still online? Fetch its URL through the egress guard and decide.

| answer | verdict |
| --- | --- |
| 404, 410, 451 | removed |
| the host no longer resolves (not a temporary DNS failure) | removed |
| 2xx, the same bytes (SHA-256) | still there |
| 2xx, other bytes that still match one of the item's listed hashes (exact digest, or PDQ within the list's threshold, on the reference path) | still there |
| 2xx, an HTML page carrying the file inline (``data:`` URI) that matches | still there |
| 2xx, other bytes that do not match | removed |
| refused by the egress guard, timeout, connection failure, too large, too many redirects, temporary DNS failure, any other status (5xx, 403, 429...) | inconclusive |

No Django: the caller gives the fetcher and the :class:`Reference` (the item's hashes).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

from sentinelle.crawl.egress_exceptions import EgressBlocked
from sentinelle.crawl.extract import extract
from sentinelle.crawl.fetch import Fetcher, FetchError
from sentinelle.engine.matcher import IndexedEntry, Matcher
from sentinelle.engine.scan import ScanSettings, scan_bytes
from sentinelle.resolver import ResolutionError

GONE: Final = frozenset({404, 410, 451})
#: Inline copies looked at in an HTML page, at most.
MAX_INLINE: Final = 50
_REFERENCE_PATH: Final = ScanSettings(fast=False, dihedral=True)


@dataclass(frozen=True)
class Listed:
    list: str
    signal_type: str
    hash: str
    threshold: int  #: PDQ distance the list allows


@dataclass(frozen=True)
class Reference:
    """What the noticed file was: its SHA-256 and the listed hashes it matched."""

    sha256: str
    listed: tuple[Listed, ...]

    def matcher(self) -> Matcher:
        return Matcher.from_entries(
            [IndexedEntry(x.list, x.signal_type, x.hash, None, None, x.threshold) for x in self.listed]
        )


@dataclass(frozen=True)
class Verdict:
    outcome: str  #: ``still-there``, ``removed`` or ``inconclusive`` (CheckOutcome values)
    detail: str
    status: int | None = None  #: the HTTP status, when there was an answer


def judge(fetcher: Fetcher, url: str, reference: Reference) -> Verdict:
    try:
        fetched = fetcher.get(url)
    except EgressBlocked as exc:
        return Verdict("inconclusive", f"the egress guard refused it: {exc}")
    except ResolutionError as exc:
        if "temporar" in exc.reason.lower() or "try again" in exc.reason.lower():
            return Verdict("inconclusive", f"DNS failed for now: {exc.reason}")
        return Verdict("removed", f"the host no longer resolves: {exc.reason}")
    except FetchError as exc:
        return Verdict("inconclusive", str(exc))
    status = fetched.status
    if status in GONE:
        return Verdict("removed", f"HTTP {status}", status)
    if not 200 <= status < 300:
        return Verdict("inconclusive", f"HTTP {status}", status)
    if hashlib.sha256(fetched.body).hexdigest() == reference.sha256:
        return Verdict("still-there", "the same bytes (SHA-256)", status)
    found = still_matches(fetched.body, fetched.final_url, fetched.headers.get("content-type"), reference)
    if found:
        return Verdict("still-there", f"other bytes that still match: {found}", status)
    return Verdict("removed", f"other bytes ({len(fetched.body)}) that no longer match", status)


def still_matches(body: bytes, url: str, content_type: str | None, reference: Reference) -> str:
    """How ``body`` (or a file inline in it) still matches the reference; "" if it does not."""
    matcher = reference.matcher()
    _, matches = scan_bytes(body, matcher, _REFERENCE_PATH)
    if matches:
        return _describe(matches[0].signal_type, matches[0].hash, matches[0].distance)
    if body.lstrip()[:1] != b"<":  # not markup: no inline copies to look for
        return ""
    inline = extract(body, url, content_type=content_type).data_media[:MAX_INLINE]
    for media in inline:
        _, matches = scan_bytes(media.data, matcher, _REFERENCE_PATH)
        if matches:
            return "inline: " + _describe(matches[0].signal_type, matches[0].hash, matches[0].distance)
    return ""


def _describe(signal_type: str, value: str, distance: int) -> str:
    return f"{signal_type} {value[:16]}... at distance {distance}"
