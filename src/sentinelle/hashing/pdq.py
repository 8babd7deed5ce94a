"""PDQ hashes: the reference path (Meta's code through ``pdqhash``) and our core.

Both return a :class:`PdqHash`. ``path`` records which one made it: DESIGN.md
requires every stored PDQ value to say so, because only reference values are
used for verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt
import pdqhash

from sentinelle.hashing.pdq_core import MIN_HASHABLE_DIM, dct64_to_16, downsample

FloatArray = npt.NDArray[np.float64]


class PdqPath(StrEnum):
    """Which computation produced a PDQ value."""

    REFERENCE = "reference"  # Pillow full decode + Meta's reference code (pdqhash)
    FAST = "fast"  # sentinelle's decoder shortcuts + its own PDQ core


class Dihedral(StrEnum):
    """The eight rotations and mirror images of a picture, named as in the reference."""

    ORIGINAL = "original"
    ROTATE90 = "rotate90"
    ROTATE180 = "rotate180"
    ROTATE270 = "rotate270"
    FLIPX = "flipx"
    FLIPY = "flipy"
    FLIPPLUS1 = "flipplus1"
    FLIPMINUS1 = "flipminus1"


ZERO_HASH: Final = "0" * 64


@dataclass(frozen=True)
class PdqHash:
    """A PDQ value: 64 lowercase hex digits, its quality (0..100) and its provenance."""

    hash: str
    quality: int
    path: PdqPath
    #: The hashes of the picture rotated and mirrored, in :class:`Dihedral` order.
    dihedral: tuple[str, ...] = ()

    def variants(self) -> dict[Dihedral, str]:
        return dict(zip(Dihedral, self.dihedral, strict=True)) if self.dihedral else {}


_ODD: Final = (np.arange(16) % 2 == 1)
_SIGN_ROW: Final = np.where(_ODD, 1.0, -1.0)[:, np.newaxis]  # +1 on odd rows
_SIGN_COL: Final = np.where(_ODD, 1.0, -1.0)[np.newaxis, :]  # +1 on odd columns
_SIGN_CHECKER: Final = np.where((np.add.outer(np.arange(16), np.arange(16)) % 2) == 1, -1.0, 1.0)


def _dihedral_dcts(dct: FloatArray) -> list[FloatArray]:
    """The DCT of each dihedral image, derived from the original's (no new filtering)."""
    return [
        dct,
        (dct * _SIGN_COL).T,
        dct * _SIGN_CHECKER,
        (dct * _SIGN_ROW).T,
        dct * _SIGN_ROW,
        dct * _SIGN_COL,
        dct.T,
        (dct * _SIGN_CHECKER).T,
    ]


def _bits_to_hex(dct: FloatArray) -> str:
    flat = dct.astype(np.float32).ravel()
    median = np.partition(flat, 127)[127]
    # Bit k = i * 16 + j is set when coefficient (i, j) is above the median; the hex is
    # the 256-bit number written most significant nibble first.
    bits = (flat > median)[::-1]
    return bytes(np.packbits(bits)).hex()


def _quality(grid: npt.NDArray[np.float32]) -> int:
    hundred, scale = np.float32(100), np.float32(255)
    down = ((grid[:-1, :] - grid[1:, :]) * hundred) / scale
    across = ((grid[:, :-1] - grid[:, 1:]) * hundred) / scale
    gradient = int(np.abs(down.astype(np.int32)).sum()) + int(np.abs(across.astype(np.int32)).sum())
    return min(100, gradient // 90)


def hash_downsampled(grid64: FloatArray, *, dihedral: bool = False) -> tuple[str, int, tuple[str, ...]]:
    """Hash, quality and (optionally) dihedral hashes from the 64x64 downsample."""
    grid = grid64.astype(np.float32)
    quality = _quality(grid)
    dct = dct64_to_16(grid).astype(np.float64)
    if dihedral:
        variants = tuple(_bits_to_hex(each) for each in _dihedral_dcts(dct))
        return variants[0], quality, variants
    return _bits_to_hex(dct), quality, ()


def pdq_from_pixels(
    pixels: npt.NDArray[np.uint8], *, path: PdqPath = PdqPath.FAST, dihedral: bool = False
) -> PdqHash:
    """Our core on grey (H, W) or RGB (H, W, 3) 8-bit pixels."""
    if pixels.shape[0] < MIN_HASHABLE_DIM or pixels.shape[1] < MIN_HASHABLE_DIM:
        return PdqHash(ZERO_HASH, 0, path, (ZERO_HASH,) * 8 if dihedral else ())
    value, quality, variants = hash_downsampled(downsample(pixels), dihedral=dihedral)
    return PdqHash(value, quality, path, variants)


def _vector_to_hex(vector: npt.NDArray[np.integer]) -> str:
    return bytes(np.packbits(vector.astype(np.uint8))).hex()


def reference_pdq(rgb: npt.NDArray[np.uint8], *, dihedral: bool = False) -> PdqHash:
    """Meta's reference code (``pdqhash``) on RGB pixels."""
    pixels = np.ascontiguousarray(rgb)
    if dihedral:
        vectors, quality = pdqhash.compute_dihedral(pixels)
        variants = tuple(_vector_to_hex(v) for v in vectors)
        return PdqHash(variants[0], int(quality), PdqPath.REFERENCE, variants)
    vector, quality = pdqhash.compute(pixels)
    return PdqHash(_vector_to_hex(vector), int(quality), PdqPath.REFERENCE)
