"""A fresh, migrated database for a test that runs the real command in a subprocess: SQLite
in a temporary folder, or a new PostgreSQL database at 127.0.0.1:5432 (dropped afterwards).
Without PostgreSQL the test skips with the reason, except under CI=true, where it fails."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from support.cli import clean_env, run_cli

POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


@contextmanager
def migrated_database(kind: str, folder: Path, prefix: str) -> Iterator[dict[str, str]]:
    """The environment of a fresh, migrated ``kind`` ("sqlite" or "postgresql") database."""
    env = clean_env(str(folder / "data"))
    admin = None
    if kind == "postgresql":
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        admin = _postgres()
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(urlsplit(POSTGRES)._replace(path=f"/{name}"))
    try:
        migrated = run_cli("migrate", env=env)
        assert migrated.returncode == 0, migrated.stderr
        yield env
    finally:
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def _postgres() -> Any:
    try:
        import psycopg

        return psycopg.connect(POSTGRES, autocommit=True, connect_timeout=5)
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at 127.0.0.1:5432 is required when CI=true: {exc}")
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {exc}")
