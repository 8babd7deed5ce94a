"""The real ``sentinelle serve`` in a subprocess on a free loopback port, for tests that use
the site over HTTP (browser tests, the live API tests)."""

from __future__ import annotations

import json
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def served(env: dict[str, str], log: Path, *, workers: int = 1) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``(url, process)`` once the server said it listens (its URL ends with ``/``); stopped
    (SIGTERM, then SIGKILL after 30 s) afterwards unless the test stopped it already."""
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "sentinelle", "serve", "--bind", "127.0.0.1:0", "--workers", str(workers)],
            env=env, stdout=subprocess.PIPE, stderr=errors, text=True,
        )
        try:
            assert process.stdout is not None
            ready, _, _ = select.select([process.stdout], [], [], 90)
            line = process.stdout.readline() if ready else ""
            assert line, f"the server never said it was listening: {log.read_text()[-3000:]}"
            yield str(json.loads(line)["url"]), process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=30)
