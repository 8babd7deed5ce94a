"""``sentinelle partners``: the organisations that use the partner API, and their tokens.

A token is printed once, when issued, and never again (only its SHA-256 is stored). Every
change is audited. See docs/api.md.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from sentinelle.cli.database import cli_actor, setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.progress import stderr_console

if TYPE_CHECKING:
    from sentinelle.audit.services import Actor

SCOPES = ("match", "lists:read", "reports:write", "notices:respond")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "partners", help="partners of the API and their tokens",
        description="Partners of the API (/api/v1/): platforms, hotlines and providers that match "
        "hashes, read lists, send URLs or answer notices with a scoped, expiring token. Every "
        "change is audited. See docs/api.md.",
    )
    sub = parser.add_subparsers(title="partner commands", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="add a partner (audited)")
    create.add_argument("name")
    create.add_argument("--contact", default="", help="who to reach at the partner")
    create.add_argument("--provider", type=int, default=None, metavar="ID",
                        help="the attribution provider it speaks for (answers that provider's notices)")
    create.add_argument("--lists", default="", metavar="A,B", help="stored lists its tokens may read")
    create.set_defaults(run=run_create)
    lists = sub.add_parser("lists", help="replace the lists a partner may read (audited)")
    lists.add_argument("partner", help="the partner's name or id")
    lists.add_argument("names", metavar="A,B", help="stored lists, comma-separated (empty: none)")
    lists.set_defaults(run=run_lists)
    listing = sub.add_parser("list", help="every partner with its tokens (a table, or JSON Lines)")
    listing.add_argument("--json", action="store_true", help="JSON Lines instead of a table")
    listing.set_defaults(run=run_list)
    token = sub.add_parser("token", help="issue or revoke a partner's tokens")
    tokens = token.add_subparsers(title="token commands", metavar="ACTION", required=True)
    issue = tokens.add_parser("issue", help="issue a token; printed once (audited)")
    issue.add_argument("partner", help="the partner's name or id")
    issue.add_argument("--scope", action="append", required=True, choices=SCOPES, help="repeat for several")
    issue.add_argument("--expires-days", type=int, default=90, metavar="N", help="0: never expires")
    issue.add_argument("--rate-limit", type=int, default=None, metavar="N",
                       help="calls a minute (default SENTINELLE_API_RATE_PER_MINUTE; 0: unlimited)")
    issue.set_defaults(run=run_issue)
    revoke = tokens.add_parser("revoke", help="revoke a token by id or prefix (audited)")
    revoke.add_argument("token", metavar="TOKEN_ID|PREFIX")
    revoke.set_defaults(run=run_revoke)


def _fail(message: str, code: ExitCode) -> ExitCode:
    stderr_console().print(f"sentinelle partners: {message}", markup=False, soft_wrap=True)
    return code


def _actor() -> Actor:
    from sentinelle.audit.services import Actor

    kind, name = cli_actor()
    return Actor(kind, name)


def run_create(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.attribution.models import Provider
    from sentinelle.banks.exceptions import UnknownList
    from sentinelle.partners.exceptions import PartnerExists
    from sentinelle.partners.services import create_partner, get_partner
    from sentinelle.partners.summary import describe_partner

    if args.provider is not None and not Provider.objects.filter(id=args.provider).exists():
        return _fail(f"no provider with id {args.provider}", ExitCode.USAGE)
    lists = [n.strip() for n in args.lists.split(",") if n.strip()]
    try:
        partner = create_partner(args.name, actor=_actor(), contact=args.contact, provider_id=args.provider,
                                 lists=lists)
    except (PartnerExists, UnknownList) as exc:
        return _fail(str(exc), ExitCode.USAGE)
    print(json.dumps(describe_partner(get_partner(partner.id))))
    return ExitCode.DONE


def run_lists(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.banks.exceptions import UnknownList
    from sentinelle.partners.exceptions import PartnerNotFound
    from sentinelle.partners.services import get_partner, set_lists
    from sentinelle.partners.summary import describe_partner

    try:
        partner = get_partner(args.partner)
        set_lists(partner, [n.strip() for n in args.names.split(",") if n.strip()], actor=_actor())
    except PartnerNotFound as exc:
        return _fail(str(exc), ExitCode.FAILED)
    except UnknownList as exc:
        return _fail(str(exc), ExitCode.USAGE)
    print(json.dumps(describe_partner(get_partner(partner.id))))
    return ExitCode.DONE


def run_list(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.partners.services import list_partners
    from sentinelle.partners.summary import describe_partner

    partners = list_partners()
    if args.json:
        for partner in partners:
            print(json.dumps(describe_partner(partner)))
        return ExitCode.DONE
    from rich.console import Console
    from rich.table import Table

    from sentinelle.partners.services import token_state

    table = Table("partner", "provider", "lists", "token id", "prefix", "scopes", "state", "expires", "last used")
    for partner in partners:
        lists = ", ".join(sorted(s.name for s in partner.lists.all()))
        provider = partner.provider.slug if partner.provider_id else ""
        for token in partner.tokens.all() or [None]:
            if token is None:
                table.add_row(partner.name, provider, lists, "", "", "", "", "", "")
                continue
            table.add_row(partner.name, provider, lists, str(token.id), token.prefix, " ".join(token.scopes),
                          token_state(token), str(token.expires_at or ""), str(token.last_used_at or ""))
    Console().print(table)
    return ExitCode.DONE


def run_issue(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.partners.exceptions import InvalidScope, PartnerNotFound
    from sentinelle.partners.services import get_partner, issue_token
    from sentinelle.partners.summary import describe_token

    if args.expires_days < 0 or (args.rate_limit is not None and args.rate_limit < 0):
        return _fail("--expires-days and --rate-limit take 0 or more", ExitCode.USAGE)
    try:
        partner = get_partner(args.partner)
        issued = issue_token(partner, args.scope, actor=_actor(), expires_days=args.expires_days or None,
                             rate_limit=args.rate_limit)
    except PartnerNotFound as exc:
        return _fail(str(exc), ExitCode.FAILED)
    except InvalidScope as exc:
        return _fail(str(exc), ExitCode.USAGE)
    print(json.dumps({**describe_token(issued.record), "token": issued.token}))
    stderr_console().print("sentinelle partners: the token is shown this once; store it now.")
    return ExitCode.DONE


def run_revoke(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.partners.exceptions import TokenNotFound
    from sentinelle.partners.services import find_token, revoke
    from sentinelle.partners.summary import describe_token

    try:
        token = find_token(args.token)
    except TokenNotFound as exc:
        return _fail(str(exc), ExitCode.FAILED)
    changed = revoke(token, actor=_actor())
    print(json.dumps({**describe_token(token), "changed": changed}))
    return ExitCode.DONE
