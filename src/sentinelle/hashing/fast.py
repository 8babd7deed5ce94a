"""The fast path: decode only what PDQ needs, then hash with our core.

Two decoder shortcuts apply to JPEG, where nearly all the time goes:

* luma only: libjpeg-turbo skips the colour planes and the colour conversion;
* DCT scaling: libjpeg-turbo decodes at 1/2, 1/4 or 1/8 of the size straight
  from the coefficients, as long as the shorter side stays at least
  ``min_side`` pixels (PDQ filters the picture down to 64x64 anyway).

Other formats are decoded fully and hashed by our core on the same RGB pixels
as the reference path, so their fast and reference values are identical.

The fast path only screens: its values drift a little from the reference
(``docs/hashing.md`` has the measured table), so a candidate match is always
confirmed on the reference path before anything is recorded (DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import Image

from sentinelle.hashing.decode import DEFAULT_LIMITS, DecodeLimits, load_pixels, open_image, to_rgb
from sentinelle.hashing.pdq import PdqHash, PdqPath, pdq_from_pixels

_JPEG_FORMATS: Final = frozenset({"JPEG", "MPO"})
_SCALES: Final = (8, 4, 2)


@dataclass(frozen=True)
class FastSettings:
    #: DCT-scaled decoding keeps the shorter side at least this long, in pixels.
    min_side: int = 512
    #: Decode JPEG luma only (skips colour planes and conversion).
    luma_only: bool = True


DEFAULT_FAST: Final = FastSettings()


def dct_scale(width: int, height: int, min_side: int) -> int:
    """The largest JPEG scale-down (1, 2, 4 or 8) keeping the shorter side >= ``min_side``."""
    shorter = min(width, height)
    for scale in _SCALES:
        if shorter // scale >= min_side:
            return scale
    return 1


def prepare_fast(image: Image.Image, settings: FastSettings) -> None:
    """Ask the JPEG decoder for its shortcuts before pixels are decoded."""
    if image.format not in _JPEG_FORMATS or image.mode not in ("RGB", "L"):
        return
    width, height = image.size
    scale = dct_scale(width, height, settings.min_side)
    mode = "L" if settings.luma_only else image.mode
    if scale > 1 or mode != image.mode:
        # Pillow picks the largest scale whose result is at least the size asked for, and
        # libjpeg rounds the scaled size up: ask for the rounded-down size.
        image.draft(mode, (width // scale, height // scale))


def fast_pixels(data: bytes, limits: DecodeLimits, settings: FastSettings) -> np.ndarray:
    """Pixels as the fast path decodes them: grey (H, W) for JPEG, RGB (H, W, 3) otherwise."""
    image = open_image(data, limits)
    prepare_fast(image, settings)
    load_pixels(image)
    if image.mode == "L" and image.format in _JPEG_FORMATS:
        return np.asarray(image)
    return to_rgb(image)


def fast_pdq(
    data: bytes,
    *,
    limits: DecodeLimits = DEFAULT_LIMITS,
    settings: FastSettings = DEFAULT_FAST,
    dihedral: bool = False,
) -> PdqHash:
    """The fast path's PDQ of encoded image bytes."""
    return pdq_from_pixels(fast_pixels(data, limits, settings), path=PdqPath.FAST, dihedral=dihedral)
