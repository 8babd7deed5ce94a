"""Building the serving index: write aside, rename into place, point ``CURRENT`` at it, prune.

See :mod:`sentinelle.banks.serving` for the layout and who builds when.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from sentinelle.banks.columns import columns_from_database
from sentinelle.banks.index import generation, index_dir
from sentinelle.banks.served_index import read_manifest, write_served
from sentinelle.config import integer
from sentinelle.matching import IndexFormatError

logger = logging.getLogger(__name__)

POINTER: Final = "CURRENT"


def serving_dir() -> Path:
    return index_dir() / "serving"


def grace_seconds() -> int:
    return integer("SENTINELLE_API_INDEX_GRACE_SECONDS")


def current_folder(root: Path) -> Path | None:
    """The folder ``CURRENT`` names, or None when nothing was ever published."""
    try:
        name = (root / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    return root / name if name and "/" not in name else None


def published_generation(root: Path) -> str | None:
    folder = current_folder(root)
    try:
        return None if folder is None else str(read_manifest(folder)["generation"])
    except (IndexFormatError, KeyError):
        return None


@contextmanager
def _build_lock(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(root: Path, stamp: str, write: Callable[[Path], None]) -> Path:
    """``write`` a new index into a staging folder, rename it into place, point ``CURRENT`` at it."""
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".build-{os.getpid()}-{time.time_ns()}"
    try:
        write(staging)
        final = root / f"gen-{re.sub(r'[^A-Za-z0-9_.-]', '_', stamp)[:80]}-{time.time_ns()}"
        os.replace(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    previous = current_folder(root)
    temporary = root / f".{POINTER}.{os.getpid()}.tmp"
    temporary.write_text(final.name)
    os.replace(temporary, root / POINTER)
    if previous is not None and previous.is_dir():
        os.utime(previous)  # its grace period starts now that it is superseded
    prune(root, keep=final.name)
    return final


def prune(root: Path, *, keep: str) -> None:
    """Delete builds superseded more than the grace period ago (and abandoned staging folders)."""
    cutoff = time.time() - grace_seconds()
    for child in root.iterdir():
        if child.name == keep or not child.is_dir() or not child.name.startswith(("gen-", ".build-")):
            continue
        if child.stat().st_mtime < (cutoff if child.name.startswith("gen-") else cutoff - 3600):
            shutil.rmtree(child, ignore_errors=True)


def build(root: Path | None = None, *, force: bool = False) -> str:
    """Build the index of the enabled lists as they are now, unless it is already published."""
    root = root or serving_dir()
    with _build_lock(root):
        stamp = generation()  # read before the rows: a change in between only causes another build
        if not force and published_generation(root) == stamp:
            return stamp
        columns, lists, categories = columns_from_database()
        started = time.monotonic()
        folder = publish(root, stamp, lambda staging: write_served(
            staging, columns, lists=lists, categories=categories, generation=stamp))
        logger.info("serving index %s built in %.1fs (%d entries): %s", stamp,
                    time.monotonic() - started, len(columns.list_code), folder.name)
    return stamp
