"""The formats sentinelle hashes (JPEG, PNG, GIF, WebP, BMP, TIFF), and the ones it refuses."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from sentinelle.hashing import PdqSignal, digests, hash_media, reference_pdq
from support.pictures import encode

distance = PdqSignal.distance


@pytest.fixture(scope="module")
def pixels(picture) -> np.ndarray:
    return picture(480, 360, seed=1)


@pytest.mark.parametrize(
    ("format", "options"),
    [
        ("PNG", {}),
        ("BMP", {}),
        ("TIFF", {}),
        ("TIFF", {"compression": "tiff_lzw"}),
        ("WEBP", {"lossless": True}),
    ],
    ids=["PNG", "BMP", "TIFF", "TIFF-LZW", "WebP-lossless"],
)
@pytest.mark.parametrize("fast", [False, True], ids=["reference", "fast"])
def test_lossless_formats_hash_exactly_their_pixels(pixels, format, options, fast) -> None:
    result = hash_media(encode(Image.fromarray(pixels), format, **options), fast=fast)
    expected = reference_pdq(pixels)
    assert result.error is None
    assert result.pdq is not None
    assert (result.pdq.hash, result.pdq.quality) == (expected.hash, expected.quality)


@pytest.mark.parametrize("fast", [False, True], ids=["reference", "fast"])
def test_gif_hashes_exactly_its_palette_pixels(pixels, fast) -> None:
    palette = Image.fromarray(pixels).quantize(256)
    result = hash_media(encode(palette, "GIF"), fast=fast)
    expected = reference_pdq(np.asarray(palette.convert("RGB")))
    assert result.pdq is not None
    assert (result.pdq.hash, result.pdq.quality) == (expected.hash, expected.quality)


@pytest.mark.parametrize(
    ("format", "options"),
    [
        ("JPEG", {"quality": 90}),
        ("JPEG", {"quality": 60, "progressive": True}),
        ("WEBP", {"quality": 80}),
    ],
    ids=["JPEG", "JPEG-progressive", "WebP-lossy"],
)
@pytest.mark.parametrize("fast", [False, True], ids=["reference", "fast"])
def test_lossy_formats_hash_close_to_their_pixels(pixels, format, options, fast) -> None:
    result = hash_media(encode(Image.fromarray(pixels), format, **options), fast=fast)
    assert result.pdq is not None
    assert distance(result.pdq.hash, reference_pdq(pixels).hash) <= 10
    assert result.pdq.quality >= PdqSignal.min_quality


@pytest.mark.parametrize(
    ("format", "options"),
    [("GIF", {}), ("WEBP", {"lossless": True}), ("PNG", {}), ("TIFF", {})],
    ids=["GIF", "WebP", "APNG", "TIFF-pages"],
)
def test_only_the_first_frame_is_hashed(picture, format, options) -> None:
    first = Image.fromarray(picture(320, 240, seed=1)).quantize(256).convert("RGB")
    second = Image.fromarray(255 - picture(320, 240, seed=2)[::-1]).quantize(256).convert("RGB")
    data = encode(first, format, save_all=True, append_images=[second], duration=100, **options)
    with Image.open(io.BytesIO(data)) as opened:
        assert opened.n_frames == 2
    alone = reference_pdq(np.asarray(first))
    assert distance(alone.hash, reference_pdq(np.asarray(second)).hash) > 100
    for fast in (False, True):
        result = hash_media(data, fast=fast)
        assert result.pdq is not None
        assert result.pdq.hash == alone.hash
    assert hash_media(data).pdq == hash_media(encode(first, format, **options)).pdq


@pytest.mark.parametrize("format", ["ICO", "PPM", "PCX", "TGA", "SGI", "QOI"])
@pytest.mark.parametrize("fast", [False, True], ids=["reference", "fast"])
def test_other_formats_are_unsupported_but_keep_their_digests(picture, format, fast) -> None:
    data = encode(Image.fromarray(picture(64, 48)), format)
    with Image.open(io.BytesIO(data)) as opened:
        assert opened.format == format  # a real picture Pillow could read: refused by policy
    result = hash_media(data, fast=fast)
    assert result.pdq is None
    assert result.error is not None
    assert result.error.kind == "unsupported"
    assert result.digests == digests(data)
    assert result.size == len(data)
