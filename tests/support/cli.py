"""Running the real ``sentinelle`` command in a subprocess, with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile


def clean_env(data_dir: str | None = None) -> dict[str, str]:
    """The test process's environment without its Django and sentinelle settings."""
    env = {
        k: v for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not k.startswith("SENTINELLE_")
    }
    env["SENTINELLE_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="sentinelle-cli-")
    env["SENTINELLE_SECRET_KEY"] = "test-only"
    return env


def run_cli(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sentinelle", *map(str, args)],
        env=env or clean_env(), capture_output=True, text=True, timeout=300, check=False,
    )
