"""The bytes of every image of a world, drawn and encoded on request and kept in an LRU cache.

Nothing is drawn up front: a world of 10,000 images costs nothing until its
images are asked for, and each costs a few milliseconds then. Every file says
which world and image it is (a JPEG comment or a PNG text chunk), so no two
distinct images have the same bytes even if their pixels were equal.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

from PIL import Image, PngImagePlugin

from sentinelle.sandbox.model import ImageFormat, Transform, World
from sentinelle.sandbox.pictures import draw_picture, picture_seed

#: Quality of originals and of every re-encoding without one of its own.
DEFAULT_QUALITY: Final = 85
_TRANSPOSES: Final = {
    "flip-x": Image.Transpose.FLIP_LEFT_RIGHT,
    "flip-y": Image.Transpose.FLIP_TOP_BOTTOM,
    "rotate-90": Image.Transpose.ROTATE_90,
    "rotate-180": Image.Transpose.ROTATE_180,
    "rotate-270": Image.Transpose.ROTATE_270,
}


def _quality(detail: str) -> int:
    """``jpeg-q35`` -> 35; anything without a ``-q`` part -> the default."""
    _, marker, number = detail.rpartition("-q")
    return int(number) if marker else DEFAULT_QUALITY


def _scale(detail: str) -> float:
    """``x0.75`` -> 0.75."""
    return float(detail.removeprefix("x"))


def encode(image: Image.Image, format: ImageFormat, *, label: str, quality: int) -> bytes:
    """``image`` as a file of ``format``, labelled so that its bytes are its own."""
    buffer = io.BytesIO()
    if format is ImageFormat.JPEG:
        image.save(buffer, "JPEG", quality=quality, comment=label.encode())
    elif format is ImageFormat.PNG:
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", label)
        image.save(buffer, "PNG", compress_level=1, pnginfo=info)
    elif format is ImageFormat.WEBP:
        image.save(buffer, "WEBP", quality=quality, method=0)
    else:
        palette = image.quantize(
            colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        palette.save(buffer, "GIF", comment=label.encode())
    return buffer.getvalue()


#: Images kept in memory by default; the rest are drawn again on request.
DEFAULT_CACHE_SIZE = 1024


class ImageStore:
    """Bytes of a world's images by id, made on first use and cached (LRU)."""

    def __init__(self, world: World, *, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self._world = world
        self._bytes = lru_cache(maxsize=cache_size)(self._make)
        self._pictures = lru_cache(maxsize=64)(self._draw)

    def bytes_of(self, media_id: int) -> bytes:
        return self._bytes(media_id)

    def warm(self, media_ids: Iterable[int] | None = None) -> None:
        """Make images now (all by default), e.g. before a benchmark; the cache must hold them."""
        for media_id in range(len(self._world.media)) if media_ids is None else media_ids:
            self._bytes(media_id)

    def _draw(self, picture: int) -> Image.Image:
        original = self._world.media[picture]
        seed = picture_seed(self._world.seed, picture)
        return draw_picture(seed, (original.width, original.height))

    def _make(self, media_id: int) -> bytes:
        media = self._world.media[media_id]
        image = self._pictures(media.picture)
        quality = DEFAULT_QUALITY
        if media.transform in (Transform.RESIZED, Transform.THUMBNAIL):
            image = image.resize((media.width, media.height), Image.Resampling.LANCZOS)
        elif media.transform in (Transform.MIRRORED, Transform.ROTATED):
            image = image.transpose(_TRANSPOSES[media.detail])
        elif media.transform is Transform.REENCODED:
            quality = _quality(media.detail)
        label = f"sentinelle sandbox {self._world.seed}/{media.id}"
        return encode(image, media.format, label=label, quality=quality)
