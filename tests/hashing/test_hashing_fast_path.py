"""The fast path: JPEG decoder shortcuts, then our core. It only screens (DESIGN.md), so it
must stay within its measured drift of the reference, and say which path made a value."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from sentinelle.hashing import (
    FastSettings,
    PdqPath,
    PdqSignal,
    fast_pdq,
    hash_media,
    reference_pdq,
    reference_pdq_of,
)
from sentinelle.hashing.decode import DEFAULT_LIMITS
from sentinelle.hashing.fast import dct_scale, fast_pixels
from support.pictures import encode

distance = PdqSignal.distance
JPEG_SUFFIXES = (".jpg", ".jpeg")


@pytest.mark.parametrize(
    ("width", "height", "min_side", "scale"),
    [
        (4032, 3024, 512, 4),
        (3024, 4032, 512, 4),
        (1920, 1080, 512, 2),
        (1080, 1920, 512, 2),
        (800, 600, 512, 1),
        (1024, 1024, 512, 2),
        (1023, 1023, 512, 1),
        (8192, 4096, 512, 8),
        (8191, 4095, 512, 4),
        (100, 50, 512, 1),
        (4032, 3024, 256, 8),
        (4032, 3024, 1024, 2),
        (4032, 3024, 4000, 1),
    ],
)
def test_dct_scale_keeps_the_shorter_side_at_least_min_side(width, height, min_side, scale) -> None:
    assert dct_scale(width, height, min_side) == scale


@pytest.mark.parametrize(
    ("width", "height", "min_side"),
    [
        (2048, 1024, 512),
        (2049, 1025, 512),
        (2000, 1333, 512),
        (512, 300, 64),
        (513, 301, 64),
        (1600, 1004, 64),
    ],
)
def test_jpeg_is_decoded_at_the_chosen_scale(picture, width, height, min_side) -> None:
    """libjpeg-turbo's DCT scaling gives ceil(side / scale) pixels, whatever the side's
    divisibility: asking Pillow for at least that size must not fall back to a smaller
    scale (2049x1025 would then be decoded whole, four times the work)."""
    data = encode(Image.fromarray(picture(width, height, seed=9)), "JPEG", quality=85)
    scale = dct_scale(width, height, min_side)
    expected = (-(-height // scale), -(-width // scale))
    luma = fast_pixels(data, DEFAULT_LIMITS, FastSettings(min_side=min_side))
    colour = fast_pixels(data, DEFAULT_LIMITS, FastSettings(min_side=min_side, luma_only=False))
    assert (luma.shape, colour.shape) == (expected, (*expected, 3))


def test_other_formats_give_exactly_the_reference_value(vectors) -> None:
    """PNG and WebP test pictures: decoded whole, the same pixels, our core: bit for bit."""
    others = [p for p in vectors.images() if not p.endswith(JPEG_SUFFIXES)]
    assert len(others) == 14
    differ = {}
    for relative in others:
        fast = fast_pdq(vectors.bytes(relative), dihedral=True)
        reference = reference_pdq(vectors.rgb(relative), dihedral=True)  # as reference_pdq_of
        assert fast.path is PdqPath.FAST
        if (fast.hash, fast.quality, fast.dihedral) != (
            reference.hash,
            reference.quality,
            reference.dihedral,
        ):
            differ[relative] = (fast, reference)
    assert differ == {}


def test_jpeg_drift_over_the_test_photos(vectors) -> None:
    """Distance fast vs reference over the 34 distinct test JPEGs of quality >= 50, measured
    with the default settings (scale 4 on the 4032x3024 photos, 1 on the others): 0 bits for
    24, 2 for 7, then 4, 6 and 8. The screen's margin (20) leaves room above the worst."""
    drift = {}
    for relative in vectors.images():
        if not relative.endswith(JPEG_SUFFIXES):
            continue
        data = vectors.bytes(relative)
        reference = reference_pdq(vectors.rgb(relative))  # reference_pdq_of, decoded once
        if reference.quality < PdqSignal.min_quality:
            continue
        drift[Path(relative).name] = distance(fast_pdq(data).hash, reference.hash)
    assert len(drift) == 34
    assert max(drift.values()) <= 20, drift
    assert sum(bits == 0 for bits in drift.values()) >= len(drift) // 2, drift


def test_a_grey_jpeg_at_full_scale_is_exact(picture) -> None:
    """Luma-only decoding of a greyscale JPEG gives the reference's own pixels."""
    grey = Image.fromarray(picture(400, 300, seed=4)).convert("L")
    data = encode(grey, "JPEG", quality=90)
    fast, reference = fast_pdq(data, dihedral=True), reference_pdq_of(data, dihedral=True)
    assert (fast.hash, fast.quality, fast.dihedral) == (
        reference.hash,
        reference.quality,
        reference.dihedral,
    )


@pytest.mark.parametrize("format", ["JPEG", "PNG"])
def test_each_value_says_which_path_made_it(picture, format: str) -> None:
    data = encode(Image.fromarray(picture(1200, 900, seed=6)), format)
    fast = hash_media(data, fast=True, dihedral=True).pdq
    reference = hash_media(data, dihedral=True).pdq
    assert fast is not None and reference is not None
    assert (fast.path, reference.path) == (PdqPath.FAST, PdqPath.REFERENCE)
    assert (fast.path.value, reference.path.value) == ("fast", "reference")
    assert len(fast.dihedral) == len(reference.dihedral) == 8
    assert fast.dihedral[0] == fast.hash
    assert all(distance(a, b) <= 20 for a, b in zip(fast.dihedral, reference.dihedral, strict=True))
    assert fast.quality >= PdqSignal.min_quality


def test_settings_change_the_decode_not_the_verdict(picture) -> None:
    """Every setting stays within the screen's margin on a large photo-like picture (sides
    not multiples of the scale: libjpeg rounds the scaled size up)."""
    data = encode(Image.fromarray(picture(2401, 1601, seed=8)), "JPEG", quality=88)
    reference = reference_pdq_of(data).hash
    for settings in (
        FastSettings(),
        FastSettings(min_side=64),
        FastSettings(luma_only=False),
        FastSettings(min_side=10_000),
    ):
        assert distance(hash_media(data, fast=True, settings=settings).pdq.hash, reference) <= 20, (
            settings
        )
