"""Benign pictures drawn for tests, and small helpers on PDQ values."""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def draw_picture(seed: int, size: tuple[int, int] = (480, 360)) -> Image.Image:
    """A benign abstract picture: a gradient, shapes and a little noise."""
    rng = random.Random(seed)
    width, height = size
    ramp = np.linspace(0, 1, width)[None, :, None]
    left = np.array([rng.randint(0, 255) for _ in range(3)], float)
    right = np.array([rng.randint(0, 255) for _ in range(3)], float)
    pixels = (left * (1 - ramp) + right * ramp).repeat(height, axis=0)
    image = Image.fromarray(pixels.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, width), rng.randint(0, height)
        r = rng.randint(10, width // 4)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
    noise = np.random.default_rng(seed).normal(0, 4, (height, width, 3))
    noisy = np.clip(np.asarray(image, float) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(noisy, "RGB").filter(ImageFilter.GaussianBlur(0.8))


def encode(image: Image.Image, format: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def flip_bits(hex_hash: str, count: int, seed: int = 0) -> str:
    """``hex_hash`` with ``count`` distinct bits flipped."""
    value = int(hex_hash, 16)
    for bit in random.Random(seed).sample(range(256), count):
        value ^= 1 << bit
    return f"{value:064x}"


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


