"""``sentinelle review purge``: the retention job, runnable from cron until the task worker lands."""

from __future__ import annotations

import argparse
import json

from sentinelle.cli.database import setup_django
from sentinelle.cli.exitcodes import ExitCode


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("review", help="review media kept for analysts",
                                 description="Review media: encrypted bytes of unknown media on confirmed pages.")
    sub = parser.add_subparsers(title="review commands", metavar="ACTION", required=True)
    purge = sub.add_parser(
        "purge", help="delete review media past its retention period (audited)",
        description="Delete every review copy whose retention period "
        "(SENTINELLE_REVIEW_RETENTION_DAYS) has passed. Safe to run as often as you like.",
    )
    purge.set_defaults(run=run_purge)


def run_purge(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.review.retention import purge_expired

    print(json.dumps({"deleted": purge_expired()}))
    return ExitCode.DONE
