"""Decoding media bytes into pixels, safely.

The reference path decodes the whole image with Pillow and converts it to
8-bit RGB. Conversions follow one rule: the full range of the source maps onto
0..255, so nothing is clipped away (see ``docs/hashing.md``):

* ``I;16`` family (16-bit containers): divided by 257, so 65535 becomes 255.
  Pillow's own ``convert`` clips at 255, which turns most 16-bit photos white.
* ``I`` (32-bit integers) and ``F`` (32-bit floats): kept as they are when every
  value already lies in 0..255; ``F`` values in 0..1 are multiplied by 255; ``I``
  values in 0..65535 are divided by 257; anything else is stretched from its
  minimum and maximum onto 0..255.
* Alpha is ignored (the colour stored under it is hashed), as the reference does.
* Every other mode goes through Pillow's conversion to RGB (LAB through
  Pillow's colour management).

EXIF orientation is ignored: pixels are hashed as stored, like Meta's
reference implementation. A rotated copy is still found through the eight
dihedral variants.

Only the first frame of an animated GIF or WebP is hashed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError

from sentinelle.hashing.exceptions import (
    CorruptMedia,
    EmptyMedia,
    MediaTooLarge,
    UnsupportedMedia,
)

#: Pillow format names sentinelle decodes; anything else is unsupported. (Multi-picture
#: JPEGs, "MPO", come through the JPEG decoder.)
SUPPORTED_FORMATS: Final = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF")

RGBArray = npt.NDArray[np.uint8]

# Pillow's process-wide bomb check (a warning at 89 million pixels, an error at twice that)
# is replaced by DecodeLimits.max_pixels, checked in open_image before any pixel is decoded,
# so the limit an operator sets is the one that applies.
Image.MAX_IMAGE_PIXELS = None


@dataclass(frozen=True)
class DecodeLimits:
    """Caps that keep one hostile file from taking the machine down."""

    #: Largest file accepted, in bytes.
    max_bytes: int = 64 * 1024 * 1024
    #: Largest image accepted, in pixels (width x height), checked before decoding.
    max_pixels: int = 100_000_000


DEFAULT_LIMITS: Final = DecodeLimits()


def open_image(data: bytes, limits: DecodeLimits = DEFAULT_LIMITS) -> Image.Image:
    """Identify ``data`` and check it against ``limits`` without decoding pixels."""
    if not data:
        raise EmptyMedia("the file is empty")
    if len(data) > limits.max_bytes:
        raise MediaTooLarge(f"{len(data)} bytes is over the limit of {limits.max_bytes}")
    try:
        image = Image.open(io.BytesIO(data), formats=SUPPORTED_FORMATS)
    except UnidentifiedImageError:
        raise UnsupportedMedia("not an image in a supported format") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise CorruptMedia(f"unreadable header: {exc}") from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise CorruptMedia(f"impossible size {width}x{height}")
    if width * height > limits.max_pixels:
        raise MediaTooLarge(
            f"{width}x{height} is {width * height} pixels, over the limit of {limits.max_pixels}"
        )
    return image


def load_pixels(image: Image.Image) -> None:
    """Decode ``image`` fully, turning every decoder failure into :class:`CorruptMedia`."""
    try:
        image.seek(0)
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        raise CorruptMedia(f"cannot decode: {exc}") from None
    except MemoryError:
        raise MediaTooLarge("not enough memory to decode") from None


def to_rgb(image: Image.Image) -> RGBArray:
    """Convert a decoded image of any Pillow mode to an (H, W, 3) uint8 array."""
    mode = image.mode
    if mode == "RGB":
        return np.asarray(image)
    if mode.startswith("I;16"):
        wide = np.asarray(image).astype(np.float64)
        return _grey_to_rgb(wide / 257.0)
    if mode in ("I", "F"):
        return _grey_to_rgb(_full_range(np.asarray(image).astype(np.float64), mode))
    try:
        return np.asarray(image.convert("RGB"))
    except (ValueError, OSError) as exc:
        raise UnsupportedMedia(f"cannot convert mode {mode} to RGB: {exc}") from None


def _full_range(values: npt.NDArray[np.float64], mode: str) -> npt.NDArray[np.float64]:
    if values.size == 0:
        return values
    finite = np.isfinite(values)
    if not finite.all():
        if not finite.any():
            return np.zeros_like(values)
        inside = values[finite]
        values = np.nan_to_num(
            values, nan=0.0, posinf=float(inside.max()), neginf=float(inside.min())
        )
    low, high = float(values.min()), float(values.max())
    if low >= 0.0 and high <= 255.0 and not (mode == "F" and high <= 1.0):
        return values
    if mode == "F" and low >= 0.0 and high <= 1.0:
        return values * 255.0
    if mode == "I" and low >= 0.0 and high <= 65535.0:
        return values / 257.0
    span = high - low
    return (values - low) * (255.0 / span) if span > 0 else np.zeros_like(values)


def _grey_to_rgb(grey: npt.NDArray[np.float64]) -> RGBArray:
    eight = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
    return np.repeat(eight[:, :, np.newaxis], 3, axis=2)


def decode_rgb(data: bytes, limits: DecodeLimits = DEFAULT_LIMITS) -> RGBArray:
    """The reference decode: the whole first frame, as 8-bit RGB."""
    image = open_image(data, limits)
    load_pixels(image)
    return to_rgb(image)
