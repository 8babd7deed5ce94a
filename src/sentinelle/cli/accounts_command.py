"""``sentinelle createadmin`` and ``sentinelle users``: staff accounts from the command line.

Every change is audited (actor ``cli:<os user>``); a bad value changes nothing and exits 2,
an unknown account or a refused change (a second administrator without --force, removing the
last administrator) exits 3. Passwords come from a file (``--password-file``, ``-`` for
standard input) or are asked twice on the terminal; never from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from sentinelle.cli.database import cli_actor, setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.progress import stderr_console

ROLES = ("analyst", "supervisor", "administrator")


class _NoPassword(Exception):
    pass


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = commands.add_parser(
        "createadmin", help="create the first administrator (audited)",
        description="Create an administrator account. Refused when an active administrator "
        "exists already, unless --force. The administrator sets up a TOTP second factor at "
        "the first login (/en/accounts/login/). See docs/accounts.md.",
    )
    admin.add_argument("--username", help="the account's name (asked when not given)")
    _password_option(admin)
    admin.add_argument("--force", action="store_true", help="add an administrator although one exists")
    admin.set_defaults(run=run_createadmin)

    users = commands.add_parser(
        "users", help="staff accounts: list, create, change role, reset, deactivate",
        description="Staff accounts and their roles (analyst, supervisor, administrator). Every "
        "change is audited. See docs/accounts.md.",
    )
    sub = users.add_subparsers(title="user commands", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="every account (a table, or JSON Lines)")
    listing.add_argument("--json", action="store_true", help="JSON Lines instead of a table")
    listing.set_defaults(run=run_list)
    create = sub.add_parser("create", help="a new account with a role (audited)")
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, required=True)
    _password_option(create)
    create.set_defaults(run=run_create)
    role = sub.add_parser("set-role", help="change an account's role (audited)")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(run=run_set_role)
    reset = sub.add_parser("reset-password", help="a new password; the second factor must be set up again (audited)")
    reset.add_argument("username")
    _password_option(reset)
    reset.set_defaults(run=run_reset)
    for name, active in (("deactivate", False), ("reactivate", True)):
        action = sub.add_parser(name, help=f"{name} an account (audited)")
        action.add_argument("username")
        action.set_defaults(run=run_set_active, active=active)


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-file", metavar="FILE",
                        help="read the password from the first line of FILE (- for standard input)")


def _fail(message: str, code: ExitCode) -> ExitCode:
    stderr_console().print(f"sentinelle: {message}", markup=False, soft_wrap=True)
    return code


def _password(args: argparse.Namespace) -> str:
    if args.password_file:
        stream = sys.stdin if args.password_file == "-" else None
        text = stream.read() if stream else Path(args.password_file).read_text()
        return text.splitlines()[0] if text else ""
    if not sys.stdin.isatty():
        raise _NoPassword("give --password-file (no terminal to ask the password on)")
    first, second = getpass.getpass("Password: "), getpass.getpass("Password (again): ")
    if first != second:
        raise _NoPassword("the two passwords differ")
    return first


def _change(args: argparse.Namespace, action: str) -> ExitCode:
    setup_django()
    from django.contrib.auth.models import User

    from sentinelle.accounts import services
    from sentinelle.accounts.exceptions import AccountsError, InvalidAccount
    from sentinelle.audit.services import Actor

    actor = Actor(*cli_actor())
    try:
        if action == "createadmin":
            username = args.username or input("User name: ").strip()
            user = services.create_admin(username, _password(args), actor=actor, force=args.force)
        elif action == "create":
            user = services.create_user(args.username, _password(args), args.role, actor=actor)
        elif action == "set-role":
            user = services.set_role(args.username, args.role, actor=actor)
        elif action == "reset":
            user = services.reset_password(args.username, _password(args), actor=actor)
        else:
            user = services.set_active(args.username, args.active, actor=actor)
    except (_NoPassword, InvalidAccount, OSError, EOFError) as exc:
        return _fail(str(exc), ExitCode.USAGE)
    except AccountsError as exc:
        return _fail(str(exc), ExitCode.FAILED)
    assert isinstance(user, User)
    print(json.dumps(services.describe(user)))
    return ExitCode.DONE


def run_createadmin(args: argparse.Namespace) -> ExitCode:
    return _change(args, "createadmin")


def run_create(args: argparse.Namespace) -> ExitCode:
    return _change(args, "create")


def run_set_role(args: argparse.Namespace) -> ExitCode:
    return _change(args, "set-role")


def run_reset(args: argparse.Namespace) -> ExitCode:
    return _change(args, "reset")


def run_set_active(args: argparse.Namespace) -> ExitCode:
    return _change(args, "active")


def run_list(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from django.contrib.auth.models import User

    from sentinelle.accounts.services import describe

    rows = [describe(u) for u in User.objects.order_by("username")]
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return ExitCode.DONE
    from rich.console import Console
    from rich.table import Table

    table = Table("username", "role", "active", "otp", "last login")
    for row in rows:
        table.add_row(row["username"], row["role"], str(row["active"]), str(row["otp_enrolled"]), row["last_login"] or "")
    Console().print(table)
    return ExitCode.DONE
