"""``sentinelle migrate/check/lists/audit`` and ``scan --list NAME`` through the real command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from support.cli import clean_env, run_cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "src" / "sentinelle" / "samples"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(str(tmp_path / "data"))


def run(env: dict[str, str], *args: object) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env)


def test_without_migrations_commands_say_so_and_exit_3(env: dict[str, str]) -> None:
    done = run(env, "lists", "list")
    assert done.returncode == 3 and "sentinelle migrate" in done.stderr
    check = run(env, "check", "--json")
    assert check.returncode == 3
    report = json.loads(check.stdout)
    assert report["database"]["pending_migrations"] > 0 and report["database"]["hint"] == "run: sentinelle migrate"


def test_lists_lifecycle_and_scanning_a_stored_list(env: dict[str, str], tmp_path: Path) -> None:
    assert run(env, "migrate").returncode == 0
    check = run(env, "check", "--json")
    assert check.returncode == 0 and json.loads(check.stdout)["ok"] is True
    imported = run(env, "lists", "import", SAMPLES / "known-sample.csv", "--name", "demo", "--category", "csam")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["added"] == 8
    bad = tmp_path / "bad.csv"
    bad.write_text("signal_type,hash\nmd5,nothex\n")
    refused = run(env, "lists", "import", bad, "--name", "demo")
    assert refused.returncode == 3 and "line 2" in refused.stderr
    assert run(env, "lists", "verify", "demo").returncode == 0
    (shown,) = [json.loads(run(env, "lists", "show", "demo").stdout)]
    assert shown["verified"] is True and shown["hashes"] == 8 and shown["by_signal_type"] == {"md5": 4, "pdq": 4}
    exported = run(env, "lists", "export", "demo")
    assert exported.stdout == (SAMPLES / "known-sample.csv").read_text()
    scanned = run(env, "scan", SAMPLES / "images", "--list", "demo", "--jobs", "1")
    assert scanned.returncode == 0, scanned.stderr
    matched = [r for r in map(json.loads, scanned.stdout.splitlines()) if r["matches"]]
    assert {m["list"] for r in matched for m in r["matches"]} == {"demo"} and len(matched) == 5
    assert run(env, "scan", SAMPLES / "images", "--list", "absent").returncode == 3
    verified = run(env, "audit", "verify")
    report = json.loads(verified.stdout)
    assert verified.returncode == 0 and report["ok"] and report["events"] == 3  # create, import, verify
    assert run(env, "lists", "disable", "nope").returncode == 3
    purged = run(env, "review", "purge")
    assert purged.returncode == 0 and json.loads(purged.stdout) == {"deleted": 0}
