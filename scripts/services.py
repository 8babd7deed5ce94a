"""Is a local service the tests can use reachable?  ``python scripts/services.py postgres``

Exit 0 when it answers, 1 when not (with the reason on stderr).
"""

from __future__ import annotations

import sys

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"


def postgres() -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=5) as conn:
        conn.execute("SELECT 1")


def main() -> int:
    checks = {"postgres": postgres}
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in checks:
        print(f"usage: services.py {{{','.join(checks)}}}", file=sys.stderr)
        return 2
    try:
        checks[name]()
    except Exception as exc:
        print(f"{name} not reachable: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
