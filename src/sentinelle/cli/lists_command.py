"""``sentinelle lists``: stored hash lists (import, export, list, show, enable, disable, verify)."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from sentinelle.cli.database import cli_actor, setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.progress import stderr_console

_FLAG_COMMANDS = {
    "enable": "LISTS_ENABLE",
    "disable": "LISTS_DISABLE",
    "verify": "LISTS_VERIFY",
    "unverify": "LISTS_UNVERIFY",
}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "lists", help="manage stored hash lists", description="Manage the hash lists stored in the database."
    )
    sub = parser.add_subparsers(title="list commands", metavar="ACTION", required=True)

    imp = sub.add_parser("import", help="import a list file into a stored list (created if new)",
                         description="Import a CSV, JSON Lines or plain-text list file. A file with any "
                         "bad line imports nothing. Existing entries are kept unless --replace is given.")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--name", help="stored list to import into (default: the file's stem)")
    imp.add_argument("--format", choices=("csv", "jsonl", "text"), help="default: from the extension")
    imp.add_argument("--signal-type", choices=("pdq", "md5", "sha1", "sha256"), help="for plain-text files")
    imp.add_argument("--category", help="default category of a new list (csam, harmful-abusive or a label)")
    imp.add_argument("--threshold", type=int, metavar="N", help="PDQ threshold of a new list (default 31)")
    imp.add_argument("--replace", action="store_true", help="remove stored entries the file does not hold")
    imp.set_defaults(run=run_import)

    exp = sub.add_parser("export", help="write a stored list as CSV, JSON Lines or plain text")
    exp.add_argument("name", metavar="NAME")
    exp.add_argument("--format", choices=("csv", "jsonl", "text"), default=None,
                     help="default: from --output's extension, else csv")
    exp.add_argument("--output", type=Path, metavar="FILE", help="default: standard output")
    exp.set_defaults(run=run_export)

    show_all = sub.add_parser("list", help="every stored list with its settings and size")
    show_all.add_argument("--json", action="store_true", help="JSON Lines instead of a table")
    show_all.set_defaults(run=run_list)

    show = sub.add_parser("show", help="one stored list's settings, counts and change cursor (JSON)")
    show.add_argument("name", metavar="NAME")
    show.set_defaults(run=run_show)

    for command, action in _FLAG_COMMANDS.items():
        flag = sub.add_parser(command, help=f"{command} a stored list (audited)")
        flag.add_argument("name", metavar="NAME")
        flag.set_defaults(run=run_flag, action_name=action)


def _actor() -> Any:
    from sentinelle.audit.services import Actor

    kind, name = cli_actor()
    return Actor(kind, name)


def _fail(message: str, code: ExitCode = ExitCode.FAILED) -> ExitCode:
    stderr_console().print(f"sentinelle lists: {message}", markup=False, soft_wrap=True)
    return code


def run_import(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.banks.services import import_list
    from sentinelle.exceptions import SentinelleError
    from sentinelle.lists import ListUsageError, read_list

    try:
        incoming = read_list(args.file, format=args.format, signal_type=args.signal_type,
                             category=args.category, threshold=args.threshold)
    except FileNotFoundError:
        return _fail(f"{args.file}: no such file")
    except ListUsageError as exc:
        return _fail(str(exc), ExitCode.USAGE)
    except (OSError, SentinelleError) as exc:
        return _fail(str(exc))
    digest = hashlib.sha256(args.file.read_bytes()).hexdigest()
    try:
        result = import_list(incoming, actor=_actor(), name=args.name, replace=args.replace,
                             details={"file_sha256": digest})
    except SentinelleError as exc:
        return _fail(str(exc))
    print(json.dumps(result.as_dict()))
    return ExitCode.DONE


def run_export(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.banks.services import as_hash_list, get_list
    from sentinelle.exceptions import SentinelleError
    from sentinelle.lists import write_list

    try:
        hash_list = as_hash_list(get_list(args.name))
        if args.output is not None:
            write_list(hash_list, args.output, format=args.format)
        else:
            write_list(hash_list, sys.stdout.buffer, format=args.format or "csv")
            sys.stdout.buffer.flush()
    except SentinelleError as exc:
        return _fail(str(exc))
    return ExitCode.DONE


def run_list(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from rich.table import Table

    from sentinelle.banks.models import StoredList
    from sentinelle.banks.services import summary

    rows = [summary(s) for s in StoredList.objects.all()]
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return ExitCode.DONE
    table = Table("name", "category", "verified", "enabled", "threshold", "hashes", "cursor")
    for row in rows:
        table.add_row(*(str(row[k]) for k in ("name", "category", "verified", "enabled", "threshold", "hashes", "cursor")))
    from rich.console import Console

    Console().print(table)
    return ExitCode.DONE


def run_show(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.banks.services import get_list, summary
    from sentinelle.exceptions import SentinelleError

    try:
        print(json.dumps(summary(get_list(args.name)), indent=2))
    except SentinelleError as exc:
        return _fail(str(exc))
    return ExitCode.DONE


def run_flag(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.audit.actions import AuditAction
    from sentinelle.banks.services import set_flag, summary
    from sentinelle.exceptions import SentinelleError

    try:
        stored = set_flag(args.name, AuditAction[args.action_name], actor=_actor())
    except SentinelleError as exc:
        return _fail(str(exc))
    print(json.dumps(summary(stored)))
    return ExitCode.DONE
