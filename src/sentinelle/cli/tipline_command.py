"""``sentinelle tipline``: upkeep of the public tipline's reports."""

from __future__ import annotations

import argparse
import json
import sys

from sentinelle.cli.database import setup_django
from sentinelle.cli.exitcodes import ExitCode


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "tipline", help="upkeep of the public tipline's reports",
        description="The public tipline (the report form `sentinelle serve` shows under /en/ "
        "and /fr/). See docs/tipline.md.",
    )
    sub = parser.add_subparsers(title="tipline commands", metavar="ACTION", required=True)
    purge = sub.add_parser(
        "purge", help="erase reporters' contact details older than the retention period (audited)",
        description="Erase the name, e-mail and telephone of every report older than "
        "SENTINELLE_TIPLINE_CONTACT_RETENTION_DAYS (sentinelle worker does it too). Prints "
        '{"purged": N} as JSON; exit 3 when the setting is unusable.',
    )
    purge.set_defaults(run=run_purge)


def run_purge(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.config import ConfigurationError
    from sentinelle.tipline.retention import purge_contacts

    total = 0
    try:
        while purged := purge_contacts():
            total += purged
    except ConfigurationError as exc:
        print(f"sentinelle tipline purge: {exc}", file=sys.stderr)
        return ExitCode.FAILED
    print(json.dumps({"purged": total}))
    return ExitCode.DONE
