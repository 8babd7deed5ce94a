"""Every Pillow mode a file can decode to hashes like the RGB photo it was made from.

Each picture is made from the bridge photo, saved in a format that keeps the mode, and
hashed from its bytes, as a crawler would meet it. The decode rule under test
(sentinelle.hashing.decode): the full range of the source maps onto 0..255.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from PIL import Image

from sentinelle.hashing import PdqSignal, hash_media, reference_pdq
from sentinelle.hashing.decode import to_rgb
from support.pictures import encode

distance = PdqSignal.distance


@dataclass(frozen=True)
class Bridge:
    rgb: Image.Image
    #: The reference's luma (0.299 R + 0.587 G + 0.114 B), 0..255 as float.
    luma: np.ndarray
    #: A ramp from opaque to clear, with a fully transparent band: colour under it still counts.
    alpha: Image.Image
    hash: str


@pytest.fixture(scope="module")
def bridge(vectors) -> Bridge:
    data = vectors.bytes(vectors.BRIDGE)
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
    luma = np.asarray(rgb).astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    height, width = luma.shape
    ramp = np.add.outer(np.arange(height), np.arange(width)) * (255.0 / (height + width))
    ramp[height // 3 : height // 2, :] = 0
    alpha = Image.fromarray(np.rint(ramp).astype(np.uint8))
    original = hash_media(data).pdq
    assert original is not None and original.quality == 100
    return Bridge(rgb, luma, alpha, original.hash)


def wide(bridge: Bridge, scale: float, dtype: Any) -> np.ndarray:
    return np.rint(bridge.luma * scale).astype(dtype)


def with_alpha(image: Image.Image, alpha: Image.Image) -> Image.Image:
    image = image.copy()
    image.putalpha(alpha)
    return image


#: name -> (make the picture, format, save options, the mode the file opens in)
CASES: dict[str, tuple[Callable[[Bridge], Image.Image], str, dict[str, Any], str]] = {
    # 16-bit grey using the whole range: luma * 257 puts white at 65535.
    "I;16 PNG": (lambda b: Image.fromarray(wide(b, 257, np.uint16)), "PNG", {}, "I;16"),
    "I;16 TIFF": (lambda b: Image.fromarray(wide(b, 257, np.uint16)), "TIFF", {}, "I;16"),
    "I;16B TIFF": (
        lambda b: Image.frombytes("I;16B", b.rgb.size, wide(b, 257, ">u2").tobytes()),
        "TIFF",
        {},
        "I;16B",
    ),
    # 32-bit integers: 0..65535 (divided by 257), 0..255 (kept), 0..255000 (stretched).
    "I 65535 TIFF": (lambda b: Image.fromarray(wide(b, 257, np.int32)), "TIFF", {}, "I"),
    "I 255 TIFF": (lambda b: Image.fromarray(wide(b, 1, np.int32)), "TIFF", {}, "I"),
    "I 255000 TIFF": (lambda b: Image.fromarray(wide(b, 1000, np.int32)), "TIFF", {}, "I"),
    # 32-bit floats: 0..255 (kept), 0..1 (times 255), -1..1 (stretched).
    "F 255 TIFF": (lambda b: Image.fromarray(b.luma.astype(np.float32)), "TIFF", {}, "F"),
    "F 1 TIFF": (lambda b: Image.fromarray((b.luma / 255).astype(np.float32)), "TIFF", {}, "F"),
    "F -1..1 TIFF": (
        lambda b: Image.fromarray((b.luma / 127.5 - 1).astype(np.float32)),
        "TIFF",
        {},
        "F",
    ),
    "L PNG": (lambda b: b.rgb.convert("L"), "PNG", {}, "L"),
    "LA PNG": (lambda b: with_alpha(b.rgb.convert("L"), b.alpha), "PNG", {}, "LA"),
    "LA TIFF": (lambda b: with_alpha(b.rgb.convert("L"), b.alpha), "TIFF", {}, "LA"),
    "1 PNG": (lambda b: b.rgb.convert("1"), "PNG", {}, "1"),
    "P PNG": (lambda b: b.rgb.quantize(256), "PNG", {}, "P"),
    "P GIF": (lambda b: b.rgb.quantize(256), "GIF", {}, "P"),
    # Pillow writes PA to TIFF only.
    "PA TIFF": (lambda b: with_alpha(b.rgb.quantize(256), b.alpha), "TIFF", {}, "PA"),
    "RGBA PNG": (lambda b: with_alpha(b.rgb, b.alpha), "PNG", {}, "RGBA"),
    "RGBA WebP": (
        lambda b: with_alpha(b.rgb, b.alpha),
        "WEBP",
        {"lossless": True, "exact": True},
        "RGBA",
    ),
    "CMYK JPEG": (lambda b: b.rgb.convert("CMYK"), "JPEG", {"quality": 95}, "CMYK"),
    "CMYK TIFF": (lambda b: b.rgb.convert("CMYK"), "TIFF", {}, "CMYK"),
    "LAB TIFF": (lambda b: b.rgb.convert("LAB"), "TIFF", {}, "LAB"),
    "YCbCr TIFF": (lambda b: b.rgb.convert("YCbCr"), "TIFF", {}, "YCbCr"),
    # HSV has no file format: Pillow converts it to RGB when saving, so it is not here.
}


def make(bridge: Bridge, case: str) -> bytes:
    draw, format, options, mode = CASES[case]
    stream = io.BytesIO()
    draw(bridge).save(stream, format, **options)
    data = stream.getvalue()
    with Image.open(io.BytesIO(data)) as reopened:
        assert reopened.mode == mode, "the file does not keep the mode under test"
    return data


@pytest.mark.parametrize("case", list(CASES))
def test_each_mode_hashes_like_the_rgb_photo(bridge: Bridge, case: str) -> None:
    """Within 10 bits (measured 0..2), on both paths, no exemption."""
    data = make(bridge, case)
    reference = hash_media(data)
    assert reference.error is None
    assert reference.pdq is not None
    assert distance(reference.pdq.hash, bridge.hash) <= 10
    assert reference.pdq.quality >= PdqSignal.min_quality
    # None of these takes a JPEG shortcut (CMYK JPEG is decoded whole): same pixels, same core.
    fast = hash_media(data, fast=True).pdq
    assert fast is not None
    assert (fast.hash, fast.quality) == (reference.pdq.hash, reference.pdq.quality)


@pytest.mark.parametrize("case", ["I;16 PNG", "I 65535 TIFF"])
def test_clipping_wide_pictures_would_lose_them(bridge: Bridge, case: str) -> None:
    """Why wide pictures are scaled: Pillow's own convert("RGB") clips at 255, which turns
    everything but the darkest pixels white (measured: 138 bits away, quality 0)."""
    data = make(bridge, case)
    with Image.open(io.BytesIO(data)) as image:
        clipped = reference_pdq(np.asarray(image.convert("RGB")))
    assert distance(clipped.hash, bridge.hash) > 100
    assert clipped.quality < PdqSignal.min_quality
    ours = hash_media(data).pdq
    assert ours is not None
    assert distance(ours.hash, bridge.hash) <= 10


@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan], ids=["inf", "-inf", "nan"])
def test_a_float_picture_with_one_non_finite_pixel_keeps_its_picture(
    bridge: Bridge, value: float
) -> None:
    """One pixel out of 1.6 million must not change the verdict (the decode maps infinities
    to the finite extremes and NaN to 0)."""
    values = bridge.luma.astype(np.float32)
    values[10, 10] = value
    result = hash_media(encode(Image.fromarray(values), "TIFF"))
    assert result.error is None
    assert result.pdq is not None
    assert result.pdq.quality >= PdqSignal.min_quality
    assert distance(result.pdq.hash, bridge.hash) <= 10


NAN, INF = float("nan"), float("inf")

#: (Pillow mode, values of a one-row picture, the grey values the decode must give)
RULES = {
    "I;16 divided by 257": ("I;16", [0, 257, 32896, 65535], [0, 1, 128, 255]),
    "I;16B divided by 257": ("I;16B", [0, 257, 32896, 65535], [0, 1, 128, 255]),
    "I in 0..255 kept": ("I", [0, 17, 200, 255], [0, 17, 200, 255]),
    "I in 0..65535 divided by 257": ("I", [0, 300, 771, 65535], [0, 1, 3, 255]),
    "I beyond 65535 stretched": ("I", [0, 14_000, 70_000, 70_000], [0, 51, 255, 255]),
    "I negative stretched": ("I", [-100, -20, 100, 60], [0, 102, 255, 204]),
    "F in 0..255 kept": ("F", [0.0, 12.4, 99.5, 255.0], [0, 12, 100, 255]),
    "F in 0..1 times 255": ("F", [0.0, 0.2, 0.4, 1.0], [0, 51, 102, 255]),
    "F in -1..1 stretched": ("F", [-1.0, -0.2, 0.6, 1.0], [0, 102, 204, 255]),
    "F NaN is 0": ("F", [NAN, 10.0, 99.0, 200.0], [0, 10, 99, 200]),
    "F +inf is the maximum": ("F", [INF, 10.0, 99.0, 200.0], [200, 10, 99, 200]),
    "F -inf is the minimum": ("F", [-INF, 10.0, 99.0, 200.0], [10, 10, 99, 200]),
}


def one_row(mode: str, values: list[float]) -> Image.Image:
    kinds = {"I;16": "<u2", "I;16B": ">u2", "I": "<i4", "F": "<f4"}
    data = np.array([values], dtype=kinds[mode]).tobytes()
    return Image.frombytes(mode, (len(values), 1), data)


@pytest.mark.parametrize("rule", list(RULES))
def test_wide_values_map_onto_0_255(rule: str) -> None:
    """The decode's table (docs/hashing.md), value by value, rounded to the nearest. PDQ
    hardly sees a change of gain, so the photo tests above cannot pin these."""
    mode, values, grey = RULES[rule]
    image = one_row(mode, values)
    assert image.mode == mode
    rgb = to_rgb(image)
    assert rgb.dtype == np.uint8
    assert rgb.shape == (1, len(values), 3)
    assert rgb[0].tolist() == [[each] * 3 for each in grey]
