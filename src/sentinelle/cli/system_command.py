"""``sentinelle migrate`` and ``sentinelle check``: the database and what is configured."""

from __future__ import annotations

import argparse
import json
import os

from sentinelle.cli.database import setup_django
from sentinelle.cli.exitcodes import ExitCode


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    migrate = commands.add_parser(
        "migrate", help="create or upgrade the database schema",
        description="Apply every pending database migration (safe to run again).",
    )
    migrate.set_defaults(run=run_migrate)
    check = commands.add_parser(
        "check", help="report what is configured and whether it is reachable",
        description="Report the settings in force and check the database, the data folder, the "
        "audit anchor and the key for review media. Exit 3 when something needed is unusable.",
    )
    check.add_argument("--json", action="store_true", help="one JSON object instead of text")
    check.set_defaults(run=run_check)


def run_migrate(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    return ExitCode.DONE


def run_check(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    from sentinelle.audit.anchor import anchor_path
    from sentinelle.banks.index import index_dir
    from sentinelle.config import setting

    report: dict[str, dict[str, object]] = {}
    database = settings.DATABASES["default"]
    db: dict[str, object] = {"engine": connection.vendor, "name": str(database.get("NAME")),
                             "host": database.get("HOST") or None}
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        db.update(ok=not pending, reachable=True, pending_migrations=len(pending))
        if pending:
            db["hint"] = "run: sentinelle migrate"
    except DatabaseError as exc:
        db.update(ok=False, reachable=False, error=str(exc).strip())
    report["database"] = db
    data = settings.DATA_DIR
    report["data_dir"] = {"path": str(data), "ok": data.is_dir() and os.access(data, os.W_OK)}
    anchor = anchor_path()
    anchor_dir = anchor.parent
    report["audit_anchor"] = {"path": str(anchor), "ok": anchor_dir.is_dir() and os.access(anchor_dir, os.W_OK)}
    report["review_key"] = {
        "source": "SENTINELLE_REVIEW_KEY" if setting("SENTINELLE_REVIEW_KEY") else "development key file",
        "ok": True,
    }
    report["index_dir"] = {"path": str(index_dir()), "ok": True}
    ok = all(bool(part.get("ok")) for part in report.values())
    if args.json:
        print(json.dumps({"ok": ok, **report}))
    else:
        for name, part in report.items():
            state = "ok" if part.get("ok") else "PROBLEM"
            details = ", ".join(f"{k}={v}" for k, v in part.items() if k != "ok" and v is not None)
            print(f"{state:8} {name}: {details}")
    return ExitCode.DONE if ok else ExitCode.FAILED
