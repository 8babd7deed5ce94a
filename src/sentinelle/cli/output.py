"""Machine-readable output: JSON Lines, one object per file, to stdout or --output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def json_lines(output: Path | None) -> Iterator[TextIO]:
    """A text stream for JSON Lines: ``output`` (created or truncated) or standard output."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with output.open("w", encoding="utf-8", newline="\n") as stream:
        yield stream


def write_object(stream: TextIO, value: dict[str, object]) -> None:
    # ASCII escapes keep odd file names (undecodable bytes) representable.
    stream.write(json.dumps(value, separators=(",", ":")) + "\n")
