"""Regenerate the bundled benign sample pictures and the sample hash list.

    python scripts/make_samples.py

Everything is drawn here from a fixed seed (landscapes of gradients, hills,
suns and textures): no photo of anyone, nothing downloaded. The output is
committed under src/sentinelle/samples/ so the README's first command can run
`sentinelle scan` on it.

* ``images/known-*``: pictures whose hashes are on the sample list, as exact
  copies or altered (resized, re-encoded, mirrored, rotated, cropped a little);
* ``images/other-*``: distinct pictures that must not match;
* ``images/broken-*``: a truncated JPEG and a text file, to show per-file errors.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from sentinelle.hashing import reference_pdq_of

OUT = Path(__file__).resolve().parents[1] / "src" / "sentinelle" / "samples"
SIZE = (640, 480)


def landscape(seed: int) -> Image.Image:
    rng = random.Random(seed)
    width, height = SIZE
    top = np.array([rng.randint(40, 200) for _ in range(3)], float)
    bottom = np.array([rng.randint(120, 255) for _ in range(3)], float)
    ramp = np.linspace(0, 1, height)[:, None, None]
    sky = (top * (1 - ramp) + bottom * ramp).repeat(width, axis=1)
    image = Image.fromarray(sky.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    sx, sy, radius = rng.randint(60, width - 60), rng.randint(40, height // 2), rng.randint(20, 60)
    draw.ellipse((sx - radius, sy - radius, sx + radius, sy + radius), fill=(255, rng.randint(180, 240), 90))
    for layer in range(rng.randint(2, 4)):
        base = height * (0.45 + 0.12 * layer)
        points = [(0, height)]
        for x in range(0, width + 40, 40):
            points.append((x, base + rng.uniform(-60, 40)))
        points.append((width, height))
        shade = tuple(rng.randint(20, 140) for _ in range(3))
        draw.polygon(points, fill=shade)
    for _ in range(rng.randint(5, 15)):
        x, y = rng.randint(0, width), rng.randint(height // 2, height)
        size = rng.randint(8, 30)
        draw.rectangle((x, y - size * 2, x + size, y), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    noise = np.random.default_rng(seed).normal(0, 6, (height, width, 3))
    pixels = np.clip(np.asarray(image, float) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "RGB").filter(ImageFilter.GaussianBlur(0.6))


def jpeg(image: Image.Image, quality: int = 88) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def main() -> None:
    images = OUT / "images"
    images.mkdir(parents=True, exist_ok=True)
    for old in images.iterdir():
        old.unlink()
    known = [landscape(seed) for seed in (101, 102, 103, 104)]
    others = [landscape(seed) for seed in (201, 202, 203, 204, 205)]
    originals = [jpeg(image) for image in known]
    files: dict[str, bytes] = {
        "known-1-copy.jpg": originals[0],
        "known-2-resized.jpg": jpeg(known[1].resize((320, 240), Image.LANCZOS), 80),
        "known-3-mirrored.png": _png(known[2].transpose(Image.FLIP_LEFT_RIGHT).resize((320, 240))),
        "known-4-rotated.jpg": jpeg(known[3].transpose(Image.ROTATE_90), 75),
        "known-4-recompressed.webp": _webp(known[3]),
    }
    for number, image in enumerate(others, 1):
        files[f"other-{number}.jpg"] = jpeg(image)
    files["broken-truncated.jpg"] = originals[1][: len(originals[1]) // 3]
    files["broken-not-an-image.txt"] = b"This is not a picture.\n"
    for name, data in files.items():
        (images / name).write_bytes(data)

    rows = []
    categories = ("csam", "csam", "harmful-abusive", "csam")
    for number, (data, category) in enumerate(zip(originals, categories, strict=True), 1):
        pdq = reference_pdq_of(data)
        note = "benign stand-in picture drawn by scripts/make_samples.py"
        rows.append(("pdq", pdq.hash, category, f"sample-{number}", note))
        rows.append(("md5", hashlib.md5(data).hexdigest(), category, f"sample-{number}", note))
    with (OUT / "known-sample.csv").open("w", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(("signal_type", "hash", "category", "id", "note"))
        writer.writerows(rows)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _webp(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=70)
    return buffer.getvalue()


if __name__ == "__main__":
    main()
