"""Which images a world has: known originals, their variants, distractors, thumbnails.

``images`` is the exact number of distinct image files. A tenth (at least 3) are
listed originals, a tenth (at least 5) variants of them, one in 25 (at least 2)
gallery thumbnails, the rest distractors.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from sentinelle.lists import Category
from sentinelle.sandbox.model import ImageFormat, Media, MediaKind, Transform

#: Sizes (width, height) pictures are drawn at.
PICTURE_SIZES: Final = ((320, 240), (400, 300), (480, 360), (240, 320), (360, 360), (300, 400))
#: Variants made from originals, in turn: each stays within PDQ distance 31 of its original
#: (re-encodings and scalings by a wide margin; mirrors and rotations through PDQ's dihedral
#: hashes). Halving is left out on purpose: on flat synthetic shapes it can move PDQ ~32 bits.
VARIATIONS: Final = (
    (Transform.REENCODED, "jpeg-q35", ImageFormat.JPEG),
    (Transform.RESIZED, "x0.75", ImageFormat.JPEG),
    (Transform.MIRRORED, "flip-x", ImageFormat.JPEG),
    (Transform.ROTATED, "rotate-90", ImageFormat.JPEG),
    (Transform.REENCODED, "webp-q50", ImageFormat.WEBP),
    (Transform.RESIZED, "x1.5", ImageFormat.JPEG),
    (Transform.ROTATED, "rotate-180", ImageFormat.JPEG),
    (Transform.MIRRORED, "flip-y", ImageFormat.JPEG),
    (Transform.ROTATED, "rotate-270", ImageFormat.JPEG),
    (Transform.REENCODED, "png", ImageFormat.PNG),
)
THUMBNAIL_SCALE: Final = "x0.75"
#: Formats of distractors, in turn: mostly JPEG, like the web (and PNG is ~6x slower to make).
DISTRACTOR_FORMATS: Final = (
    *(ImageFormat.JPEG,) * 4,
    ImageFormat.WEBP,
    *(ImageFormat.JPEG,) * 4,
    ImageFormat.GIF,
    *(ImageFormat.JPEG,) * 5,
    ImageFormat.PNG,
)
MIN_IMAGES: Final = 12


@dataclass(frozen=True)
class MediaCounts:
    originals: int
    variants: int
    thumbnails: int
    distractors: int

    @classmethod
    def for_total(cls, images: int) -> MediaCounts:
        originals = max(3, images // 10)
        variants = max(5, images // 10)
        thumbnails = max(2, images // 25)
        return cls(originals, variants, thumbnails, images - originals - variants - thumbnails)


def media_token(seed: int, media_id: int) -> str:
    """A path token that says nothing about the image: 12 hex digits."""
    digest = hashlib.blake2b(f"sandbox-media:{seed}:{media_id}".encode(), digest_size=6)
    return digest.hexdigest()


def _scaled(width: int, height: int, detail: str) -> tuple[int, int]:
    scale = float(detail.removeprefix("x"))
    return round(width * scale), round(height * scale)


def _variant_size(original: Media, transform: Transform, detail: str) -> tuple[int, int]:
    if transform in (Transform.RESIZED, Transform.THUMBNAIL):
        return _scaled(original.width, original.height, detail)
    if detail in ("rotate-90", "rotate-270"):
        return original.height, original.width
    return original.width, original.height


def make_variant(
    media_id: int,
    token: str,
    original: Media,
    transform: Transform,
    detail: str,
    format: ImageFormat,
) -> Media:
    width, height = _variant_size(original, transform, detail)
    known = original.kind is MediaKind.KNOWN_COPY
    return Media(
        id=media_id,
        token=token,
        kind=MediaKind.KNOWN_VARIANT if known else MediaKind.DISTRACTOR,
        format=format,
        width=width,
        height=height,
        source=original.id,
        transform=transform,
        detail=detail,
        category=original.category,
    )


def allocate_media(seed: int, counts: MediaCounts, rng: random.Random) -> list[Media]:
    """Originals, variants and distractors (thumbnails are added with the galleries)."""
    media: list[Media] = []
    for number in range(counts.originals):
        width, height = rng.choice(PICTURE_SIZES)
        category = Category.HARMFUL_ABUSIVE if number % 4 == 3 else Category.CSAM
        fmt = ImageFormat.PNG if number % 7 == 6 else ImageFormat.JPEG
        media.append(
            Media(
                len(media),
                media_token(seed, len(media)),
                MediaKind.KNOWN_COPY,
                fmt,
                width,
                height,
                category=str(category),
            )
        )
    originals = list(media)
    for number in range(counts.variants):
        transform, detail, fmt = VARIATIONS[number % len(VARIATIONS)]
        original = originals[number % len(originals)]
        media_id = len(media)
        media.append(
            make_variant(media_id, media_token(seed, media_id), original, transform, detail, fmt)
        )
    for number in range(counts.distractors):
        width, height = rng.choice(PICTURE_SIZES)
        fmt = DISTRACTOR_FORMATS[number % len(DISTRACTOR_FORMATS)]
        media.append(
            Media(
                len(media), media_token(seed, len(media)), MediaKind.DISTRACTOR, fmt, width, height
            )
        )
    return media


class MediaPool:
    """Hands out media of one class: each unplaced one once, then (tiny worlds) again in turn."""

    def __init__(self, media: list[Media]) -> None:
        self._media = media
        self._next = 0
        self.placed: set[int] = set()

    def __bool__(self) -> bool:
        return bool(self._media)

    def take(self) -> Media:
        chosen = self._media[self._next % len(self._media)]
        self._next += 1
        self.placed.add(chosen.id)
        return chosen

    def unplaced(self) -> Iterator[Media]:
        return (m for m in self._media if m.id not in self.placed)


def interleave(first: list[Media], second: list[Media]) -> list[Media]:
    """a0, b0, a1, b1, ... then the longer list's rest."""
    mixed: list[Media] = []
    for index in range(max(len(first), len(second))):
        mixed.extend(group[index] for group in (first, second) if index < len(group))
    return mixed
