"""Scanning: hash each file, match it, confirm near matches on the reference path.

The fast path only screens. A PDQ value from it that comes within a list's
threshold plus ``drift_margin`` of a listed hash makes the file a candidate;
the candidate is hashed again on the reference path and matched at the plain
threshold, and only that reference value is reported (DESIGN.md: speed never
changes a verdict). Reference values below quality 50 are never near-matched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from sentinelle.engine.matcher import Match, Matcher
from sentinelle.hashing import (
    DecodeLimits,
    FastSettings,
    MediaHashes,
    MediaProblem,
    PdqPath,
    PdqSignal,
    hash_media,
    reference_pdq_of,
)
from sentinelle.hashing.exceptions import MediaError

#: How far the fast path's PDQ may sit from the reference one (docs/hashing.md: max measured 10).
DEFAULT_DRIFT_MARGIN: Final = 20


@dataclass(frozen=True)
class ScanSettings:
    fast: bool = True
    dihedral: bool = True
    drift_margin: int = DEFAULT_DRIFT_MARGIN
    limits: DecodeLimits = field(default_factory=DecodeLimits)
    fast_settings: FastSettings = field(default_factory=FastSettings)


@dataclass(frozen=True)
class FileResult:
    path: str
    media: MediaHashes
    matches: list[Match]

    def as_dict(self) -> dict[str, object]:
        sums, pdq, error = self.media.digests, self.media.pdq, self.media.error
        return {
            "path": self.path,
            "size": self.media.size,
            "md5": sums.md5 if sums else None,
            "sha1": sums.sha1 if sums else None,
            "sha256": sums.sha256 if sums else None,
            "pdq": pdq.hash if pdq else None,
            "quality": pdq.quality if pdq else None,
            "pdq_path": pdq.path.value if pdq else None,
            "matches": [m.as_dict() for m in self.matches],
            "error": {"kind": error.kind, "reason": error.reason} if error else None,
        }


def scan_bytes(data: bytes, matcher: Matcher, settings: ScanSettings) -> tuple[MediaHashes, list[Match]]:
    media = hash_media(
        data,
        fast=settings.fast,
        dihedral=settings.dihedral,
        limits=settings.limits,
        settings=settings.fast_settings,
    )
    matches = matcher.exact_matches(media.digests) if media.digests else []
    pdq = media.pdq
    if pdq is None:
        return media, matches
    if pdq.path is PdqPath.FAST:
        if not matcher.near_matches(pdq, margin=settings.drift_margin):
            return media, matches
        try:
            pdq = reference_pdq_of(data, limits=settings.limits, dihedral=settings.dihedral)
        except MediaError as exc:  # the reference decoder refused what the fast one read
            return MediaHashes(media.size, media.digests, None, MediaProblem(exc.kind, exc.reason)), matches
        media = MediaHashes(media.size, media.digests, pdq, media.error)
    if pdq.quality >= PdqSignal.min_quality:
        matches += matcher.near_matches(pdq)
    return media, matches


def read_media(path: Path, limits: DecodeLimits) -> tuple[bytes | None, MediaHashes]:
    """The bytes of ``path``, or None with the reason it cannot be read (never raises)."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            reason = f"{size} bytes is over the limit of {limits.max_bytes}"
            return None, MediaHashes(size, None, None, MediaProblem("too-large", reason))
        return path.read_bytes(), MediaHashes(size, None, None)
    except FileNotFoundError:
        return None, MediaHashes(0, None, None, MediaProblem("not-found", "no such file"))
    except IsADirectoryError:
        return None, MediaHashes(0, None, None, MediaProblem("unreadable", "is a folder"))
    except OSError as exc:
        return None, MediaHashes(0, None, None, MediaProblem("unreadable", exc.strerror or str(exc)))


def scan_file(path: Path, matcher: Matcher, settings: ScanSettings) -> FileResult:
    """Hash and match one file; a file that cannot be read is reported, never raised."""
    data, problem = read_media(path, settings.limits)
    if data is None:
        return FileResult(os.fspath(path), problem, [])
    media, matches = scan_bytes(data, matcher, settings)
    return FileResult(os.fspath(path), media, matches)
