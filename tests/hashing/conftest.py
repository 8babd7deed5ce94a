"""Fixtures for the hashing tests: Meta's PDQ test vectors and generated pictures.

Every picture here is benign: the PDQ test photos copied from facebook/ThreatExchange
(a bridge, a pen, street scenes) and pictures the tests draw themselves.

The vectors live outside the repository, in ``shared/pdq-vectors`` beside it (CI keeps a
copy there too); ``SENTINELLE_PDQ_VECTORS`` points elsewhere. When they are missing, a
test that needs them skips with the reason, except under ``CI=true``, where it fails:
CI must never pass because the golden data went missing.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from sentinelle.hashing.decode import decode_rgb

#: <repo>/tests/hashing/conftest.py -> <repo>/../shared/pdq-vectors
DEFAULT_VECTORS = Path(__file__).resolve().parents[2] / ".." / "shared" / "pdq-vectors"

_IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})

RGB = npt.NDArray[np.uint8]


def vectors_root() -> Path:
    override = os.environ.get("SENTINELLE_PDQ_VECTORS")
    return Path(override) if override else DEFAULT_VECTORS.resolve()


class Vectors:
    """Read access to the PDQ test vectors, each file read (and decoded) once per session."""

    #: The bridge photo (1600x1004, quality 100) that the dihedral and edited copies come from.
    BRIDGE = "pdq/data/reg-test-input/dih/bridge-1-original.jpg"

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, relative: str) -> Path:
        """A file under ``files/``, by its path in the ThreatExchange repository."""
        found = self.root / "files" / relative
        assert found.is_file(), f"{found} is listed in the vectors but missing"
        return found

    @cache  # noqa: B019 - one Vectors object lives for the whole session
    def bytes(self, relative: str) -> bytes:
        return self.path(relative).read_bytes()

    @cache  # noqa: B019
    def rgb(self, relative: str) -> RGB:
        """The reference decode of a file (Pillow, whole first frame, 8-bit RGB)."""
        return decode_rgb(self.bytes(relative))

    def rows(self, name: str) -> list[dict[str, str]]:
        """The rows of a CSV file under ``expected/``."""
        with (self.root / "expected" / name).open(newline="") as stream:
            return list(csv.DictReader(stream))

    @cache  # noqa: B019
    def manifest(self) -> dict[str, str]:
        """Repository path -> SHA-256 of every copied file, from MANIFEST.tsv."""
        with (self.root / "MANIFEST.tsv").open(newline="") as stream:
            return {
                row["repo_path"]: row["sha256"] for row in csv.DictReader(stream, delimiter="\t")
            }

    @cache  # noqa: B019
    def images(self) -> tuple[str, ...]:
        """Every distinct picture in the vectors (byte-identical copies counted once)."""
        distinct: dict[str, str] = {}
        for relative, sha256 in sorted(self.manifest().items()):
            if Path(relative).suffix.lower() in _IMAGE_SUFFIXES:
                distinct.setdefault(sha256, relative)
        return tuple(sorted(distinct.values()))


@pytest.fixture(scope="session")
def vectors() -> Vectors:
    root = vectors_root()
    if not (root / "MANIFEST.tsv").is_file():
        reason = (
            f"PDQ test vectors not found at {root}: put a copy of shared/pdq-vectors beside "
            "the repository or set SENTINELLE_PDQ_VECTORS"
        )
        if os.environ.get("CI", "").strip().lower() in {"true", "1"}:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return Vectors(root)


def draw_waves(width: int, height: int, seed: int = 0) -> RGB:
    """A photo-like RGB picture: a few smooth colour waves and a little grain.

    The waves are drawn relative to the picture's size, so the same seed at another size
    is the same picture rescaled (and hashes close to it).
    """
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width] / max(width, height)
    planes = []
    for _ in range(3):
        frequencies = rng.uniform(1.5, 7.0, size=(3, 2))
        phases = rng.uniform(0.0, 2 * np.pi, size=3)
        planes.append(
            sum(
                np.sin(2 * np.pi * (fx * x + fy * y) + phase)
                for (fx, fy), phase in zip(frequencies, phases, strict=True)
            )
        )
    values = np.stack(planes, axis=-1) * 38.0 + 128.0 + rng.normal(0.0, 5.0, (height, width, 3))
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


@pytest.fixture(scope="session")
def picture() -> Callable[..., RGB]:
    """``picture(width, height, seed=0)``: see :func:`draw_waves`."""
    return draw_waves
