"""Whether the database can serve the web: reachable and fully migrated."""

from __future__ import annotations

from django.db import DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor


def database_problem() -> str:
    """Empty when the database is reachable and migrated; else what is wrong. Closes every
    connection it opened: the server forks its workers after this."""
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return f"the database is not migrated ({len(pending)} migration(s) to apply)"
        return ""
    except DatabaseError as exc:
        return f"the database cannot be used: {str(exc).strip()}"
    finally:
        connections.close_all()
