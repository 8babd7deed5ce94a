"""Bad media costs its own result, never the batch: hash_media reports, it does not raise."""

from __future__ import annotations

import random
import struct
import time
import zlib
from collections import Counter

import numpy as np
import pytest
from PIL import Image

from sentinelle.hashing import (
    DecodeLimits,
    MediaTooLarge,
    PdqSignal,
    digests,
    hash_media,
    reference_pdq_of,
)
from sentinelle.hashing.decode import DEFAULT_LIMITS, open_image
from support.pictures import encode

KINDS = {"empty", "unsupported", "corrupt", "too-large"}


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int, height: int, *, bit_depth: int = 8, data: bytes = b"") -> bytes:
    """A greyscale PNG; without ``data`` only its header (enough to open, not to decode)."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    body = png_chunk(b"IDAT", data) if data else b""
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + body + png_chunk(b"IEND", b"")


def black_png(side: int) -> bytes:
    """A real side x side black 1-bit PNG: a few hundred bytes per 2000 rows of pixels."""
    row = bytes(1 + (side + 7) // 8)  # filter byte, then the row's bits
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return png(side, side, bit_depth=1, data=stream)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """900 million pixels in about 110 kB."""
    return black_png(30_000)


@pytest.fixture(scope="module")
def photo(picture) -> dict[str, bytes]:
    pixels = Image.fromarray(picture(160, 120, seed=3))
    return {"PNG": encode(pixels, "PNG"), "JPEG": encode(pixels, "JPEG", quality=90)}


fast_and_reference = pytest.mark.parametrize("fast", [False, True], ids=["reference", "fast"])


def problem(data: bytes, fast: bool, limits: DecodeLimits = DEFAULT_LIMITS) -> str:
    """The kind of problem hash_media reports, after checking what every failed result holds."""
    result = hash_media(data, fast=fast, limits=limits)
    assert result.pdq is None
    assert result.error is not None
    assert result.error.reason
    assert result.size == len(data)
    return result.error.kind


@fast_and_reference
def test_an_empty_file(fast: bool) -> None:
    assert problem(b"", fast) == "empty"
    assert hash_media(b"", fast=fast).digests == digests(b"")


@fast_and_reference
def test_random_bytes_are_unsupported_and_keep_their_digests(fast: bool) -> None:
    data = np.random.default_rng(7).bytes(5000)
    assert problem(data, fast) == "unsupported"
    assert hash_media(data, fast=fast).digests == digests(data)


@fast_and_reference
def test_a_document_is_unsupported_and_keeps_its_digests(fast: bool) -> None:
    data = b"%PDF-1.4 not really\n" + b"Lorem ipsum dolor sit amet.\n" * 50
    assert problem(data, fast) == "unsupported"
    assert hash_media(data, fast=fast).digests == digests(data)


@pytest.mark.parametrize("format", ["JPEG", "PNG"])
@fast_and_reference
def test_a_truncated_file_is_corrupt(photo, format: str, fast: bool) -> None:
    data = photo[format][: len(photo[format]) // 2]
    assert problem(data, fast) == "corrupt"
    assert hash_media(data, fast=fast).digests == digests(data)


@fast_and_reference
def test_a_decompression_bomb_is_refused_from_its_header(bomb: bytes, fast: bool) -> None:
    """Decoding it would need 900 MB (and 2.7 GB as RGB); refusing it takes no time."""
    assert len(bomb) < 200_000
    with pytest.raises(MediaTooLarge):  # first, so that a regression fails here, not out of memory
        open_image(bomb)
    started = time.process_time()
    assert problem(bomb, fast) == "too-large"
    assert time.process_time() - started < 1.0


@fast_and_reference
def test_max_pixels_decides_before_decoding(fast: bool) -> None:
    data = black_png(2000)
    assert problem(data, fast, DecodeLimits(max_pixels=1_000_000)) == "too-large"
    assert problem(data, fast, DecodeLimits(max_pixels=3_999_999)) == "too-large"
    fits = hash_media(data, fast=fast, limits=DecodeLimits(max_pixels=4_000_000))
    assert fits.error is None
    assert fits.pdq is not None
    assert fits.pdq.quality == 0  # all black


@pytest.mark.parametrize(
    ("width", "height", "limits"),
    [
        (10_000, 9_500, DecodeLimits()),
        (10_000, 10_000, DecodeLimits()),
        (12_000, 12_000, DecodeLimits(max_pixels=150_000_000)),
    ],
    ids=["95M-default", "100M-default", "144M-raised"],
)
def test_max_pixels_is_the_limit_that_applies(
    width: int, height: int, limits: DecodeLimits
) -> None:
    """A picture within DecodeLimits.max_pixels is accepted, whatever Pillow's own bomb
    guard (Image.MAX_IMAGE_PIXELS, 89.5 million) thinks. Only the header is read here."""
    with open_image(png(width, height), limits) as image:
        assert image.size == (width, height)


def test_one_pixel_over_max_pixels_is_too_large() -> None:
    with pytest.raises(MediaTooLarge):
        open_image(png(10_000, 10_001), DecodeLimits(max_pixels=100_000_000))


@fast_and_reference
def test_a_file_over_max_bytes_is_too_large(photo, fast: bool) -> None:
    data = photo["PNG"]
    assert problem(data, fast, DecodeLimits(max_bytes=len(data) - 1)) == "too-large"
    assert hash_media(data, fast=fast, limits=DecodeLimits(max_bytes=len(data))).error is None


@fast_and_reference
def test_a_file_over_max_bytes_keeps_its_digests(photo, fast: bool) -> None:
    """A known file is found by its MD5/SHA-1/SHA-256 whatever its size: max_bytes limits
    decoding, and hash_media promises that a file that is not a usable image keeps its digests."""
    data = photo["JPEG"]
    result = hash_media(data, fast=fast, limits=DecodeLimits(max_bytes=len(data) - 1))
    assert result.error is not None
    assert result.error.kind == "too-large"
    assert result.digests == digests(data)


@fast_and_reference
def test_a_mixed_batch_gives_one_result_per_file(photo, fast: bool) -> None:
    batch = [
        ("photo.png", photo["PNG"], None),
        ("empty", b"", "empty"),
        ("photo.jpg", photo["JPEG"], None),
        ("noise", np.random.default_rng(1).bytes(3000), "unsupported"),
        ("cut.jpg", photo["JPEG"][:-400], "corrupt"),
        ("cut.png", photo["PNG"][:1000], "corrupt"),
        ("bomb.png", black_png(3000), "too-large"),
        ("photo-again.png", photo["PNG"], None),
    ]
    limits = DecodeLimits(max_pixels=5_000_000)
    results = [hash_media(data, fast=fast, limits=limits) for _, data, _ in batch]

    assert len(results) == len(batch)
    assert {
        name: r.error.kind if r.error else None
        for (name, _, _), r in zip(batch, results, strict=True)
    } == {name: kind for name, _, kind in batch}
    for (name, data, kind), result in zip(batch, results, strict=True):
        assert result.size == len(data), name
        assert result.digests == digests(data), name
        if kind is None:
            assert result.pdq is not None
            reference = reference_pdq_of(data)
            assert result.pdq.path == ("fast" if fast else "reference")
            assert PdqSignal.distance(result.pdq.hash, reference.hash) <= (20 if fast else 0), name


def small_files(picture) -> list[bytes]:
    pixels = picture(40, 48, seed=5)
    rgb = Image.fromarray(pixels)
    return [
        encode(rgb, "PNG"),
        encode(rgb.convert("L"), "PNG"),
        encode(rgb.quantize(64), "PNG"),
        encode(rgb, "JPEG"),
        encode(rgb, "JPEG", progressive=True),
        encode(rgb.convert("L"), "JPEG"),
        encode(rgb, "GIF"),
        encode(rgb, "BMP"),
        encode(rgb, "TIFF"),
        encode(rgb, "TIFF", compression="tiff_lzw"),
        encode(rgb, "TIFF", compression="tiff_deflate"),
        encode(Image.fromarray(pixels[:, :, 2].astype(np.uint16) * 257), "TIFF"),
        encode(rgb, "WEBP"),
        encode(rgb, "WEBP", lossless=True),
    ]


@pytest.mark.filterwarnings("ignore:.*:UserWarning:PIL")  # Pillow's notes on damaged metadata
def test_mutated_files_never_raise(picture) -> None:
    """Deterministic fuzzing: damaged headers and bodies, cut files, on both paths.

    A mutated header can claim any size: the pixel cap keeps each decode small.
    """
    samples = small_files(picture)
    rng = random.Random(20241129)
    limits = DecodeLimits(max_pixels=1_000_000)
    seen: Counter[str] = Counter()
    for _ in range(600):
        damaged = bytearray(rng.choice(samples))
        for _ in range(rng.randint(1, 8)):
            reach = 300 if rng.random() < 0.7 else len(damaged)
            damaged[rng.randrange(min(reach, len(damaged)))] = rng.randrange(256)
        if rng.random() < 0.2:
            damaged = damaged[: rng.randrange(1, len(damaged))]
        data = bytes(damaged)
        for fast in (False, True):
            result = hash_media(data, fast=fast, limits=limits)
            assert result.digests == digests(data)
            assert (result.pdq is None) != (result.error is None)
            seen[result.error.kind if result.error else "hashed"] += 1
    assert set(seen) <= KINDS | {"hashed"}
    # Measured: about a third each hashed, corrupt and unsupported; a few too-large.
    assert {"hashed", "corrupt", "unsupported", "too-large"} <= set(seen), seen
