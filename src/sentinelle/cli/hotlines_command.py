"""``sentinelle hotlines``: the national hotlines escalations go to (one per country).

Every change is audited; a bad value changes nothing and exits 2.
"""

from __future__ import annotations

import argparse
import json

from sentinelle.cli.database import cli_actor, setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.progress import stderr_console


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "hotlines", help="the hotline of each country, where escalations go",
        description="The directory of national hotlines: when a host leaves reported material "
        "online after the reminders, an escalation can go to the hotline of the country it is "
        "hosted in (SENTINELLE_ESCALATION_POLICY). None is built in. Every change is audited. "
        "See docs/notices.md.",
    )
    sub = parser.add_subparsers(title="hotline commands", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="every hotline (a table, or JSON Lines)")
    listing.add_argument("--json", action="store_true", help="JSON Lines instead of a table")
    listing.set_defaults(run=run_list)
    put = sub.add_parser("set", help="add a country's hotline, or change it (audited)")
    put.add_argument("country", metavar="CC", help="ISO 3166-1 alpha-2 country code, e.g. BE")
    put.add_argument("--name", required=True)
    put.add_argument("--email", default="", help="where escalations are mailed")
    put.add_argument("--webhook", default="", metavar="URL", help="where escalations are posted (signed)")
    put.add_argument("--secret-ref", default="", metavar="NAME",
                     help="webhook: the name of its signing secret (never the secret itself)")
    put.add_argument("--language", choices=("en", "fr"), default="en", help="of the escalations it gets")
    put.add_argument("--note", default="", metavar="TEXT")
    put.set_defaults(run=run_set)
    remove = sub.add_parser("remove", help="remove a country's hotline (audited)")
    remove.add_argument("country", metavar="CC")
    remove.add_argument("--reason", default="", metavar="TEXT")
    remove.set_defaults(run=run_remove)


def _fail(message: str, code: ExitCode) -> ExitCode:
    stderr_console().print(f"sentinelle hotlines: {message}", markup=False, soft_wrap=True)
    return code


def run_list(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.notices.hotlines import describe
    from sentinelle.notices.models import Hotline

    rows = [describe(h) for h in Hotline.objects.order_by("country")]
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return ExitCode.DONE
    from rich.console import Console
    from rich.table import Table

    table = Table("country", "name", "email", "webhook", "language", "note")
    for row in rows:
        table.add_row(row["country"], row["name"], row["email"], row["webhook_url"], row["language"], row["note"])
    Console().print(table)
    return ExitCode.DONE


def run_set(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.audit.services import Actor
    from sentinelle.notices.exceptions import InvalidRecipient
    from sentinelle.notices.hotlines import describe, set_hotline

    kind, name = cli_actor()
    try:
        hotline = set_hotline(
            args.country, name=args.name, email=args.email, webhook_url=args.webhook,
            webhook_secret_ref=args.secret_ref, language=args.language, note=args.note, actor=Actor(kind, name),
        )
    except InvalidRecipient as exc:
        return _fail(str(exc), ExitCode.USAGE)
    print(json.dumps(describe(hotline)))
    return ExitCode.DONE


def run_remove(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.audit.services import Actor
    from sentinelle.notices.exceptions import InvalidRecipient, UnknownHotline
    from sentinelle.notices.hotlines import remove_hotline

    kind, name = cli_actor()
    try:
        remove_hotline(args.country, actor=Actor(kind, name), reason=args.reason)
    except InvalidRecipient as exc:
        return _fail(str(exc), ExitCode.USAGE)
    except UnknownHotline as exc:
        return _fail(str(exc), ExitCode.FAILED)
    print(json.dumps({"removed": args.country.strip().upper()}))
    return ExitCode.DONE
