"""Entry point of the ``sentinelle`` command: parse, dispatch, turn errors into exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sentinelle import __version__
from sentinelle.cli import (
    accounts_command,
    attribute_command,
    audit_command,
    crawl_command,
    demo_command,
    hash_command,
    hotlines_command,
    lists_command,
    notices_command,
    partners_command,
    providers_command,
    review_command,
    sandbox_command,
    scan_command,
    serve_command,
    stats_command,
    system_command,
    tipline_command,
    worker_command,
)
from sentinelle.cli.exitcodes import ExitCode


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sentinelle",
        description=(
            "Find known child sexual abuse material by hash matching, get it taken down, "
            "and take reports from the public. Machine-readable output is JSON Lines."
        ),
        epilog="Exit codes: 0 done, 1 matched with --fail-on-match, 2 usage error, 3 nothing could be done.",
    )
    parser.add_argument("--version", action="version", version=f"sentinelle {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    demo_command.add_parser(commands)
    scan_command.add_parser(commands)
    hash_command.add_parser(commands)
    crawl_command.add_parser(commands)
    lists_command.add_parser(commands)
    audit_command.add_parser(commands)
    review_command.add_parser(commands)
    attribute_command.add_parser(commands)
    providers_command.add_parser(commands)
    notices_command.add_parser(commands)
    hotlines_command.add_parser(commands)
    worker_command.add_parser(commands)
    stats_command.add_parser(commands)
    serve_command.add_parser(commands)
    accounts_command.add_parser(commands)
    partners_command.add_parser(commands)
    tipline_command.add_parser(commands)
    sandbox_command.add_parser(commands)
    system_command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with 2 on a usage error
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("sentinelle: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head & co.
        return int(ExitCode.DONE)
    except Exception as exc:
        if _is_database_error(exc):
            print(f"sentinelle: the database cannot be used: {str(exc).strip()}", file=sys.stderr)
            print("sentinelle: check DATABASE_URL and run `sentinelle migrate`", file=sys.stderr)
            return int(ExitCode.FAILED)
        raise


def _is_database_error(exc: Exception) -> bool:
    if "django.db" not in sys.modules:
        return False
    from django.db import DatabaseError

    return isinstance(exc, DatabaseError)


if __name__ == "__main__":
    sys.exit(main())
