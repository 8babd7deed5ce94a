"""One full ``sentinelle demo`` run (a subprocess, as a newcomer runs it), shared by the tests
that read what it left: its JSON summary, its folder and its database. Under pytest-xdist the
workers share it too: the first to get the lock runs the demo, the others read its result."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest
from demo_support import DemoRun

from support.cli import clean_env, run_cli


def _session_folder(factory: pytest.TempPathFactory) -> Path:
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    base = _session_folder(tmp_path_factory) / "demo-run"
    base.mkdir(exist_ok=True)
    with (base / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        kept = base / "result.json"
        if not kept.exists():
            env = clean_env(str(base / "elsewhere"))
            done = run_cli("demo", "--data-dir", base / "demo", "--json", "--no-progress", env=env)
            assert done.returncode == 0, done.stderr[-4000:]
            kept.write_text(json.dumps({"summary": json.loads(done.stdout), "stderr": done.stderr, "env": env}))
        result = json.loads(kept.read_text())
    return DemoRun(base / "demo", result["summary"], result["stderr"], result["env"])
