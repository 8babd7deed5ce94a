"""Hash one file's bytes: every digest, and PDQ when it is an image.

This is the one entry point the rest of sentinelle calls. It never raises for
bad media: the problem comes back in :attr:`MediaHashes.error`, so a batch
goes on (a corrupt file costs its own result, nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass

from sentinelle.hashing.decode import DEFAULT_LIMITS, DecodeLimits, decode_rgb
from sentinelle.hashing.digests import Digests, digests
from sentinelle.hashing.exceptions import MediaError
from sentinelle.hashing.fast import DEFAULT_FAST, FastSettings, fast_pdq
from sentinelle.hashing.pdq import PdqHash, reference_pdq


@dataclass(frozen=True)
class MediaProblem:
    """Why a file could not be hashed: ``kind`` (a stable word) and a readable reason."""

    kind: str
    reason: str


@dataclass(frozen=True)
class MediaHashes:
    size: int
    digests: Digests | None
    pdq: PdqHash | None
    error: MediaProblem | None = None


def reference_pdq_of(
    data: bytes, *, limits: DecodeLimits = DEFAULT_LIMITS, dihedral: bool = False
) -> PdqHash:
    """The reference path on encoded bytes: Pillow full decode, RGB, Meta's code."""
    return reference_pdq(decode_rgb(data, limits), dihedral=dihedral)


def hash_media(
    data: bytes,
    *,
    fast: bool = False,
    dihedral: bool = False,
    limits: DecodeLimits = DEFAULT_LIMITS,
    settings: FastSettings = DEFAULT_FAST,
) -> MediaHashes:
    """Digests and PDQ of ``data``; a file that is not a usable image keeps its digests."""
    sums = digests(data)
    try:
        if fast:
            pdq = fast_pdq(data, limits=limits, settings=settings, dihedral=dihedral)
        else:
            pdq = reference_pdq_of(data, limits=limits, dihedral=dihedral)
    except MediaError as problem:
        return MediaHashes(len(data), sums, None, MediaProblem(problem.kind, problem.reason))
    return MediaHashes(len(data), sums, pdq)
