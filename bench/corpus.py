"""A fixed-seed corpus of benign photos in a web-like mix of sizes and qualities.

Sources are the benign test photos of Meta's PDQ test data (``../shared/pdq-vectors``
from the project root, or ``SENTINELLE_PDQ_VECTORS``). Each corpus image is a random
crop of a source, resized to its target size, sometimes mirrored, with its
brightness and colour nudged, saved as JPEG at quality 70-95 with the chroma
subsampling cameras and sites use. The same seed always gives the same bytes.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

#: (width, height, share of images): the web mix of the hashing benchmark.
WEB_MIX = ((320, 240, 0.55), (800, 600, 0.28), (1920, 1080, 0.14), (4000, 3000, 0.03))


def vectors_dir() -> Path:
    configured = os.environ.get("SENTINELLE_PDQ_VECTORS")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "shared" / "pdq-vectors"


def source_photos(root: Path | None = None) -> list[Path]:
    """The benign photos corpus images are cut from (large ones first)."""
    files = (root or vectors_dir()) / "files"
    names = [
        "pdq/data/reg-test-input/exif-rotn/exif-rotn-1.jpg",
        "pdq/data/reg-test-input/exif-rotn/exif-rotn-3.jpg",
        "pdq/data/reg-test-input/exif-rotn/exif-rotn-6.jpg",
        "pdq/data/reg-test-input/exif-rotn/exif-rotn-8.jpg",
        "pdq/data/reg-test-input/dih/bridge-1-original.jpg",
        "pdq/data/misc-images/c.png",
        "pdq/data/reg-test-input/pen-and-coaster.png",
    ]
    paths = [files / name for name in names]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"PDQ test photos not found: {missing[0]} (set SENTINELLE_PDQ_VECTORS)")
    return paths


@dataclass(frozen=True)
class CorpusImage:
    name: str
    width: int
    height: int
    quality: int
    data: bytes


def sizes_for(count: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """``count`` sizes in the web mix's proportions, shuffled."""
    sizes: list[tuple[int, int]] = []
    for width, height, share in WEB_MIX:
        sizes += [(width, height)] * max(1, round(count * share))
    rng.shuffle(sizes)  # type: ignore[arg-type]
    return sizes[:count]


def generate(count: int = 400, seed: int = 20261129) -> Iterator[CorpusImage]:
    """Yield ``count`` distinct benign JPEGs."""
    rng = np.random.default_rng(seed)
    sources = [ImageOps.exif_transpose(Image.open(p)).convert("RGB") for p in source_photos()]
    for index, (width, height) in enumerate(sizes_for(count, rng)):
        big = [s for s in sources if s.width >= width and s.height >= height] or sources[:4]
        source = big[int(rng.integers(len(big)))]
        image = _random_crop(source, width / height, rng).resize((width, height), Image.LANCZOS)
        if rng.random() < 0.5:
            image = ImageOps.mirror(image)
        image = ImageEnhance.Brightness(image).enhance(float(rng.uniform(0.8, 1.2)))
        image = ImageEnhance.Color(image).enhance(float(rng.uniform(0.7, 1.3)))
        quality = int(rng.integers(70, 96))
        buffer = io.BytesIO()
        image.save(
            buffer,
            "JPEG",
            quality=quality,
            subsampling=int(rng.choice([0, 1, 2], p=[0.15, 0.15, 0.7])),
            progressive=bool(rng.random() < 0.2),
        )
        yield CorpusImage(f"corpus-{index:05d}.jpg", width, height, quality, buffer.getvalue())


def _random_crop(source: Image.Image, aspect: float, rng: np.random.Generator) -> Image.Image:
    fraction = float(rng.uniform(0.6, 1.0))
    crop_w = min(source.width, int(source.height * aspect)) * fraction
    crop_h = crop_w / aspect
    left = float(rng.uniform(0, source.width - crop_w))
    top = float(rng.uniform(0, source.height - crop_h))
    return source.crop((int(left), int(top), int(left + crop_w), int(top + crop_h)))


def write(directory: Path, count: int = 400, seed: int = 20261129) -> list[Path]:
    """Write the corpus into ``directory`` (kept between runs when the seed matches)."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = directory / f".seed-{seed}-{count}"
    paths = [directory / f"corpus-{i:05d}.jpg" for i in range(count)]
    if stamp.exists() and all(p.exists() for p in paths):
        return paths
    for image in generate(count, seed):
        (directory / image.name).write_bytes(image.data)
    stamp.touch()
    return paths
