"""``sentinelle tipline purge`` for real: a subprocess on a migrated SQLite database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from support.cli import clean_env, run_cli


def test_purge_erases_old_contact_details(tmp_path: Path) -> None:
    env = clean_env(str(tmp_path / "data"))
    assert run_cli("migrate", env=env).returncode == 0
    with sqlite3.connect(tmp_path / "data" / "sentinelle.sqlite3") as db:
        db.execute(
            "INSERT INTO tipline_report (reference, receipt_hash, category, danger_now, what_happened, when_happened,"
            " contact_name, contact_email, contact_phone, language, received_at, client_hash)"
            " VALUES ('TL-AAAA-AAAA', 'h', 'csam', 0, 'x', '', 'Ann', 'ann@example.org', '', 'en',"
            " '2020-01-01 00:00:00', '')"
        )
    env["SENTINELLE_TIPLINE_CONTACT_RETENTION_DAYS"] = "30"
    done = run_cli("tipline", "purge", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"purged": 1}
    with sqlite3.connect(tmp_path / "data" / "sentinelle.sqlite3") as db:
        assert db.execute("SELECT contact_name, contact_email FROM tipline_report").fetchone() == ("", "")
    again = run_cli("tipline", "purge", env=env)
    assert json.loads(again.stdout) == {"purged": 0}
    env["SENTINELLE_TIPLINE_CONTACT_RETENTION_DAYS"] = "many"
    refused = run_cli("tipline", "purge", env=env)
    assert refused.returncode == 3 and "must be a whole number" in refused.stderr
