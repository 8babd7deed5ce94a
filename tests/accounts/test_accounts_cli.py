"""``sentinelle createadmin`` and ``sentinelle users`` as an operator runs them (subprocesses,
a fresh SQLite database)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import clean_env, run_cli

PASSWORD = "correct horse battery 42\n"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    environment = clean_env(str(tmp_path_factory.mktemp("accounts-db")))
    done = run_cli("migrate", env=environment)
    assert done.returncode == 0, done.stderr
    return environment


def with_stdin(env: dict[str, str], text: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sentinelle", *args], input=text, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_createadmin_then_users(env: dict[str, str], tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text(PASSWORD)
    made = run_cli("createadmin", "--username", "root", "--password-file", secret, env=env)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout) | {"created": "", "last_login": None} == {
        "username": "root", "role": "administrator", "active": True, "otp_enrolled": False,
        "created": "", "last_login": None}
    second = run_cli("createadmin", "--username", "root2", "--password-file", secret, env=env)
    assert second.returncode == 3 and "--force" in second.stderr
    forced = with_stdin(env, PASSWORD, "createadmin", "--username", "root2", "--password-file", "-", "--force")
    assert forced.returncode == 0, forced.stderr

    analyst = run_cli("users", "create", "sam", "--role", "analyst", "--password-file", secret, env=env)
    assert analyst.returncode == 0 and json.loads(analyst.stdout)["role"] == "analyst"
    assert run_cli("users", "set-role", "sam", "supervisor", env=env).returncode == 0
    assert run_cli("users", "deactivate", "sam", env=env).returncode == 0
    listed = [json.loads(line) for line in run_cli("users", "list", "--json", env=env).stdout.splitlines()]
    assert [(u["username"], u["role"], u["active"]) for u in listed] == [
        ("root", "administrator", True), ("root2", "administrator", True), ("sam", "supervisor", False)]
    assert run_cli("users", "reactivate", "sam", env=env).returncode == 0
    new = tmp_path / "new"
    new.write_text("yet another passphrase\n")
    assert run_cli("users", "reset-password", "sam", "--password-file", new, env=env).returncode == 0
    assert "sam" in run_cli("users", "list", env=env).stdout

    with sqlite3.connect(Path(env["SENTINELLE_DATA_DIR"]) / "sentinelle.sqlite3") as db:
        trail = db.execute("SELECT action, target_id, actor FROM audit_auditevent ORDER BY seq").fetchall()
    assert [(a, t) for a, t, _ in trail] == [
        ("account:create", "root"), ("account:create", "root2"), ("account:create", "sam"),
        ("account:role", "sam"), ("account:deactivate", "sam"), ("account:reactivate", "sam"),
        ("account:password-reset", "sam")]
    assert all(actor.startswith("cli:") for _, _, actor in trail)
    verified = run_cli("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.parametrize(("args", "code", "message"), [
    (("users", "create", "tom", "--role", "analyst", "--password-file", "PW_WEAK"), 2, "password refused"),
    (("users", "create", "tom", "--role", "boss"), 2, "invalid choice"),
    (("users", "create", "tom", "--role", "analyst"), 2, "--password-file"),  # no terminal to ask on
    (("users", "create", "tom", "--role", "analyst", "--password-file", "/nonexistent"), 2, "No such file"),
    (("users", "set-role", "nobody", "analyst"), 3, "no account named"),
    (("users", "deactivate", "nobody"), 3, "no account named"),
])
def test_bad_commands_change_nothing(env: dict[str, str], tmp_path: Path, args: tuple[str, ...], code: int,
                                     message: str) -> None:
    weak = tmp_path / "weak"
    weak.write_text("password\n")
    done = with_stdin(env, "", *[str(weak) if a == "PW_WEAK" else a for a in args])
    assert done.returncode == code and message in done.stderr, done.stderr
    listed = run_cli("users", "list", "--json", env=env).stdout
    assert '"tom"' not in listed
