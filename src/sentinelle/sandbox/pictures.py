"""Benign pictures drawn from a seed: gradients, hills, sun, shapes and a little grain.

Nothing here is a photograph of anything: every picture is abstract shapes or a
landscape of coloured hills. Pictures are busy enough for a PDQ quality well
above 50, and two different seeds give pictures far apart in PDQ (>80 bits in
tests over thousands of seeds, dihedral variants included).
"""

from __future__ import annotations

import hashlib
import random
from functools import lru_cache
from typing import Final

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageOps

Colour = tuple[int, int, int]

#: The grain texture (reused by every picture at a seeded offset) and its size.
_GRAIN_SIZE: Final = (960, 720)
_GRAIN_SEED: Final = 20_240_601
_GRAIN_AMPLITUDE: Final = 12


def picture_seed(world_seed: int, picture: int) -> int:
    """The drawing seed of a world's picture number ``picture``; stable across runs."""
    digest = hashlib.blake2b(f"sandbox-picture:{world_seed}:{picture}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big")


@lru_cache(maxsize=1)
def _gradient() -> Image.Image:
    return Image.linear_gradient("L").resize((512, 512))


@lru_cache(maxsize=1)
def _grain() -> Image.Image:
    width, height = _GRAIN_SIZE
    rng = np.random.default_rng(_GRAIN_SEED)
    values = rng.integers(0, 2 * _GRAIN_AMPLITUDE + 1, (height, width, 3), dtype=np.uint8)
    return Image.fromarray(values, "RGB")


def _colour(rng: random.Random, low: int = 0, high: int = 255) -> Colour:
    return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))


def _background(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    turned = _gradient().rotate(rng.uniform(0, 360), resample=Image.Resampling.NEAREST)
    ramp = turned.crop((96, 96, 416, 416)).resize(size)
    return ImageOps.colorize(ramp, _colour(rng), _colour(rng))


def _hills(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int) -> None:
    for layer in range(3):
        level = height * (0.4 + 0.2 * layer)
        outline = [(0.0, float(height))]
        for x in range(0, width + 24, 24):
            level = min(height * 0.95, max(height * 0.2, level + rng.uniform(-0.1, 0.1) * height))
            outline.append((float(x), level))
        outline.append((float(width), float(height)))
        draw.polygon(outline, fill=_colour(rng))
    radius = rng.randint(height // 12, height // 6)
    x, y = rng.randint(radius, width - radius), rng.randint(radius, height // 2)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=_colour(rng, 150))


def _shapes(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int) -> None:
    for _ in range(rng.randint(16, 26)):
        x, y = rng.randint(0, width), rng.randint(0, height)
        r = rng.randint(8, max(9, width // 6))
        colour = _colour(rng)
        shape = rng.random()
        if shape < 0.35:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        elif shape < 0.7:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
        elif shape < 0.85:
            draw.polygon([(x, y - r), (x + r, y + r), (x - r, y + r)], fill=colour)
        else:
            draw.line((x - r, y - r, x + r, y + r // 2), fill=colour, width=rng.randint(2, 8))


def draw_picture(seed: int, size: tuple[int, int]) -> Image.Image:
    """A benign RGB picture of ``size`` (width, height), the same for the same seed."""
    rng = random.Random(seed)
    width, height = size
    image = _background(rng, size)
    draw = ImageDraw.Draw(image)
    if rng.random() < 0.5:
        _hills(draw, rng, width, height)
    _shapes(draw, rng, width, height)
    grain_width, grain_height = _GRAIN_SIZE
    x, y = rng.randint(0, grain_width - width), rng.randint(0, grain_height - height)
    grain = _grain().crop((x, y, x + width, y + height))
    return ImageChops.add(image, grain, 1.0, -_GRAIN_AMPLITUDE)
