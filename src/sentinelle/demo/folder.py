"""The demo's own folder: its database, keys, mail, logs and the sandbox's files.

The demo never writes into a folder it did not make: a folder that is not empty and has no
``demo.json`` (the demo's mark) is refused, whatever the options. A folder an earlier demo
made is refused too unless ``fresh`` is given, in which case its contents are deleted first.
No Django here: this runs before the database is set up.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sentinelle.demo.exceptions import FolderInUse

MARKER: Final = "demo.json"
DEFAULT_NAME: Final = "sentinelle-demo"


def default_folder() -> Path:
    """``$SENTINELLE_DATA_DIR/demo`` when that setting is given, else ``./sentinelle-demo``."""
    base = os.environ.get("SENTINELLE_DATA_DIR", "").strip()
    return Path(base) / "demo" if base else Path(DEFAULT_NAME)


def prepare(folder: Path, *, fresh: bool) -> Path:
    """Make ``folder`` ready for a new demo and mark it; its absolute path."""
    target = folder.expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise FolderInUse(f"{target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()):
        marker = target / MARKER
        if not marker.is_file():
            raise FolderInUse(
                f"{target} is not empty and was not made by `sentinelle demo`: it is left alone. "
                "Choose another folder with --data-dir."
            )
        if not fresh:
            raise FolderInUse(f"{target} holds an earlier demo ({_status(marker)}); give --fresh to start over "
                              "(its database, mail and logs are deleted)")
        _empty(target)
    target.mkdir(parents=True, exist_ok=True)
    mark(target, status="running", started=datetime.now(UTC).isoformat(timespec="seconds"))
    return target


def mark(folder: Path, **facts: Any) -> None:
    """Record ``facts`` in the folder's mark (kept with what was there)."""
    marker = folder / MARKER
    current: dict[str, Any] = {}
    if marker.is_file():
        try:
            current = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            current = {}
    current.update({"made_by": "sentinelle demo", **facts})
    marker.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _status(marker: Path) -> str:
    try:
        facts = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "unreadable mark"
    return f"{facts.get('status', 'unknown')}, started {facts.get('started', '?')}"


def _empty(folder: Path) -> None:
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
