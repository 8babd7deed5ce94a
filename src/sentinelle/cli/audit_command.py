"""``sentinelle audit``: verify the chain against its anchor; write an anchor now."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sentinelle.cli.database import setup_django
from sentinelle.cli.exitcodes import ExitCode


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("audit", help="verify the audit log", description="The audit log.")
    sub = parser.add_subparsers(title="audit commands", metavar="ACTION", required=True)
    verify = sub.add_parser(
        "verify", help="recompute the hash chain and compare it with the anchor",
        description="Walk every audit event: recompute each hash, check the sequence has no gaps "
        "and compare with the anchor file. Prints a JSON report; exit 3 when anything is wrong.",
    )
    verify.add_argument("--anchor", type=Path, metavar="FILE", help="default: SENTINELLE_AUDIT_ANCHOR")
    verify.set_defaults(run=run_verify)
    anchor = sub.add_parser("anchor", help="write the chain's current head to the anchor file now")
    anchor.set_defaults(run=run_anchor)


def run_verify(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.audit.verify import verify

    result = verify(args.anchor)
    print(json.dumps(result.as_dict(), indent=2))
    return ExitCode.DONE if result.ok else ExitCode.FAILED


def run_anchor(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.audit.services import anchor_now

    seq, digest = anchor_now()
    print(json.dumps({"seq": seq, "hash": digest}))
    return ExitCode.DONE
