"""Saving a matcher to a folder and loading it back (no pickle).

The folder holds ``entries.jsonl`` (one entry per line, the line number being its id),
``pdq.sntl`` (the PDQ index in the matching package's checksummed format) and
``manifest.json`` (format version, index kind, counts, the caller's generation stamp).
The exact indexes are rebuilt on load: sorting digests is fast.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Final

from sentinelle.engine.matcher import IndexedEntry, Matcher
from sentinelle.matching import BruteForceIndex, IndexFormatError, MultiIndexHashIndex, NearIndex

FORMAT: Final = 1
_KINDS: Final[dict[str, type[NearIndex]]] = {
    "brute": BruteForceIndex,
    "mih": MultiIndexHashIndex,
}


def save_matcher(matcher: Matcher, folder: Path, *, generation: str) -> None:
    """Write ``matcher`` into ``folder`` atomically (a new folder renamed into place)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        with (staging / "entries.jsonl").open("w", encoding="utf-8") as stream:
            for entry in matcher.entries:
                stream.write(json.dumps(
                    [entry.list, entry.signal_type, entry.hash, entry.category, entry.id, entry.threshold],
                    separators=(",", ":"),
                ) + "\n")
        kind = next(k for k, cls in _KINDS.items() if isinstance(matcher.near, cls))
        matcher.near.save(staging / "pdq.sntl")
        manifest = {"format": FORMAT, "kind": kind, "entries": len(matcher.entries), "generation": generation}
        (staging / "manifest.json").write_text(json.dumps(manifest))
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def saved_generation(folder: Path) -> str | None:
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    generation = manifest.get("generation") if isinstance(manifest, dict) else None
    return generation if isinstance(generation, str) else None


def load_matcher(folder: Path) -> Matcher:
    """Load a saved matcher; a damaged or foreign folder raises :class:`IndexFormatError`."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("format") != FORMAT or manifest.get("kind") not in _KINDS:
            raise IndexFormatError(f"{folder}: unknown matcher format {manifest.get('format')!r}")
        entries = []
        with (folder / "entries.jsonl").open(encoding="utf-8") as stream:
            for line in stream:
                name, signal, value, category, ident, threshold = json.loads(line)
                entries.append(IndexedEntry(name, signal, value, category, ident, int(threshold)))
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise IndexFormatError(f"{folder}: cannot read the saved matcher: {exc}") from None
    if len(entries) != manifest.get("entries"):
        raise IndexFormatError(f"{folder}: {len(entries)} entries, the manifest says {manifest.get('entries')}")
    near = _KINDS[manifest["kind"]].load(folder / "pdq.sntl")
    return Matcher.from_entries(entries, near)
