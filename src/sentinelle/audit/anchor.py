"""The chain head, written outside the database: an append-only JSON Lines file.

An operator points ``SENTINELLE_AUDIT_ANCHOR`` at a file the database's users
cannot rewrite (another machine's mount, a log shipper's input, WORM storage).
``sentinelle audit verify`` then detects edits, deletions and truncation even
by someone who rewrote the database's chain consistently.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sentinelle.audit.exceptions import AnchorError
from sentinelle.config import integer, path_setting


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str


def anchor_path() -> Path:
    return path_setting("SENTINELLE_AUDIT_ANCHOR", "audit-anchor.jsonl")


def anchor_every() -> int:
    return integer("SENTINELLE_AUDIT_ANCHOR_EVERY", minimum=1)


def write_anchor(seq: int, digest: str, path: Path | None = None) -> Anchor:
    """Append the head ``(seq, digest)`` to the anchor file and flush it to disk."""
    target = path or anchor_path()
    anchor = Anchor(seq, digest, datetime.now(UTC).isoformat())
    line = json.dumps({"seq": seq, "hash": digest, "at": anchor.at}, separators=(",", ":")) + "\n"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line.encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise AnchorError(f"cannot write the audit anchor {target}: {exc}") from exc
    return anchor


def read_anchors(path: Path | None = None) -> Iterator[Anchor]:
    """Every anchor in the file, in order; a damaged line is an :class:`AnchorError`."""
    source = path or anchor_path()
    if not source.exists():
        return
    with source.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
                yield Anchor(int(value["seq"]), str(value["hash"]), str(value.get("at", "")))
            except (ValueError, KeyError, TypeError) as exc:
                raise AnchorError(f"{source} line {number} is damaged: {exc}") from None
