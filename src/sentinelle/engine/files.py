"""Which files a scan reads: paths given on the command line, folders walked in order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def walk(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Every regular file under ``paths``, folders walked depth-first in name order.

    A path that does not exist is yielded as it is, so the scan reports it as an
    error for that path instead of stopping. Symbolic links to folders are not
    followed (no loops); links to files are read.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir() and not path.is_symlink():
            yield from _walk_folder(path)
        else:
            yield path


def _walk_folder(folder: Path) -> Iterator[Path]:
    try:
        children = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        yield folder  # unreadable folder: reported as an error for that path
        return
    for child in children:
        if child.is_dir(follow_symlinks=False):
            yield from _walk_folder(Path(child.path))
        elif child.is_file():
            yield Path(child.path)
