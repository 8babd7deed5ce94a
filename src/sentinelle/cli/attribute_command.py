"""``sentinelle attribute``: who hosts a URL and who must be told, with every step's source.

One JSON object per URL with ``--json`` (or ``--output``), else a table per URL. A URL that
cannot be attributed is stored with open flags and reported, exit 0 all the same (per-URL
problems are in the output); a bad URL or option exits 2; an unusable database, ASN file or
setting exits 3.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.output import json_lines, write_object
from sentinelle.cli.progress import stderr_console


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "attribute", help="find who hosts URLs and who to notify (host, network, abuse contact, CDN)",
        description=(
            "For each URL: its host, the host's addresses (resolver), the network (AS number, "
            "organisation, country from SENTINELLE_ASN_DB), the abuse contact (RDAP, cached, "
            "following redirects and links), operator overrides and directory contacts (which "
            "win), the CDN in front and its origin, and the recipients of a notice. The result "
            "is stored; a URL that cannot be attributed is flagged for an analyst with the "
            "reason. See docs/attribution.md."
        ),
    )
    parser.add_argument("urls", nargs="*", metavar="URL")
    what = parser.add_argument_group("what to attribute (instead of URLs)")
    what.add_argument("--pending", action="store_true",
                      help="every URL of a sighting with a match that has no attribution yet")
    what.add_argument("--retry-due", action="store_true", help="every flagged URL whose retry time has come")
    what.add_argument("--flags", action="store_true", help="list the open flags; attribute nothing")
    what.add_argument("--resolve-flag", type=int, metavar="ID", help="close an open flag (audited)")
    what.add_argument("--resolution", metavar="TEXT", help="with --resolve-flag: what was done")
    what.add_argument("--check-asn-db", action="store_true",
                      help="check the IP-to-ASN file (--asn-db or SENTINELLE_ASN_DB) and print its summary")
    how = parser.add_argument_group("how")
    how.add_argument("--address", metavar="IP", help="with one URL: the address it was fetched from")
    how.add_argument("--refresh", action="store_true", help="ask RDAP again even when the cache is fresh")
    how.add_argument("--asn-db", type=Path, metavar="FILE", help="IP-to-ASN file (default: SENTINELLE_ASN_DB)")
    how.add_argument("--hosts-file", type=Path, metavar="FILE",
                     help="resolve names from this /etc/hosts-format file only, never DNS (the sandbox's `hosts`)")
    how.add_argument("--limit", type=int, default=1000, metavar="N", help="most URLs for --pending/--retry-due")
    how.add_argument("--json", action="store_true", help="JSON Lines instead of tables")
    how.add_argument("--output", type=Path, metavar="FILE", help="write JSON Lines here")
    parser.set_defaults(run=run)


def _say(text: str) -> None:
    stderr_console().print(f"sentinelle attribute: {text}", markup=False, soft_wrap=True, highlight=False)


def _usage(args: argparse.Namespace) -> str | None:
    modes = [bool(args.urls), args.pending, args.retry_due, args.flags, args.resolve_flag is not None,
             args.check_asn_db]
    if sum(modes) != 1:
        return "give URLs, or one of --pending, --retry-due, --flags, --resolve-flag, --check-asn-db"
    if args.address and len(args.urls) != 1:
        return "--address goes with exactly one URL"
    if (args.resolve_flag is None) != (args.resolution is None):
        return "--resolve-flag and --resolution go together"
    return None


def run(args: argparse.Namespace) -> int:
    problem = _usage(args)
    if problem is None and args.urls:
        problem = _check_urls(args.urls)
    if problem is not None:
        _say(problem)
        return ExitCode.USAGE
    if args.check_asn_db:
        return _check_asn_db(args)
    from sentinelle.cli.database import setup_django

    setup_django()
    from django.db import DatabaseError

    from sentinelle.attribution.models import Attribution

    try:
        Attribution.objects.exists()
    except DatabaseError as exc:
        _say(f"the database cannot be used: {str(exc).strip()} (run `sentinelle migrate`)")
        return ExitCode.FAILED
    if args.flags:
        return _list_flags(args)
    if args.resolve_flag is not None:
        return _resolve(args)
    attributor = _attributor(args)
    if isinstance(attributor, ExitCode):
        return attributor
    return _attribute_all(args, attributor)


def _check_urls(urls: list[str]) -> str | None:
    from sentinelle.crawl.exceptions import InvalidUrl
    from sentinelle.crawl.normalize import normalize_url

    for url in urls:
        try:
            normalize_url(url)
        except InvalidUrl as exc:
            return str(exc)
    return None


def _check_asn_db(args: argparse.Namespace) -> int:
    from sentinelle.attribution.asndb import AsnDatabase
    from sentinelle.attribution.exceptions import AsnDatabaseError
    from sentinelle.config import setting

    path = str(args.asn_db) if args.asn_db else setting("SENTINELLE_ASN_DB")
    if not path:
        _say("no IP-to-ASN file: set SENTINELLE_ASN_DB or give --asn-db")
        return ExitCode.FAILED
    try:
        database = AsnDatabase.load(path)
    except AsnDatabaseError as exc:
        _say(str(exc))
        return ExitCode.FAILED
    print(json.dumps(database.as_dict()))
    return ExitCode.DONE


def _attributor(args: argparse.Namespace) -> Any:
    from sentinelle.attribution.exceptions import AsnDatabaseError
    from sentinelle.attribution.wiring import build_attributor
    from sentinelle.config import ConfigurationError

    resolver = None
    if args.hosts_file is not None:
        from sentinelle.sandbox.resolver import SandboxResolver

        try:
            resolver = SandboxResolver.from_hosts_file(args.hosts_file)
        except (OSError, ValueError) as exc:
            _say(f"--hosts-file {args.hosts_file}: {exc}")
            return ExitCode.USAGE
    try:
        return build_attributor(resolver, asn_db=str(args.asn_db) if args.asn_db else None, refresh=args.refresh)
    except (AsnDatabaseError, ConfigurationError) as exc:
        _say(str(exc))
        return ExitCode.FAILED


def _attribute_all(args: argparse.Namespace, attributor: Any) -> int:
    from sentinelle.attribution import services
    from sentinelle.cli.attribute_view import show_chain

    machine = args.json or args.output is not None
    done = flagged = 0
    with json_lines(args.output if machine else None) as stream:
        for row, chain in _results(args, attributor, services):
            done += 1
            flagged += row.status != "ok"
            if machine:
                write_object(stream, {"id": row.pk, **chain})
            else:
                show_chain(chain)
    _say(f"{done} URL(s) attributed, {flagged} flagged for an analyst")
    return ExitCode.DONE


def _results(args: argparse.Namespace, attributor: Any, services: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(stored attribution, its chain) for each URL, as each is done."""
    if args.retry_due:
        for row in services.retry_due(attributor, limit=args.limit):
            yield row, row.chain
        return
    work = list(services.pending_urls(args.limit)) if args.pending else [(u, args.address) for u in args.urls]
    for url, address in work:
        row, chain = services.attribute(url, attributor=attributor, address=address)
        yield row, chain.as_dict()


def _list_flags(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from sentinelle.attribution.services import open_flags

    flags = open_flags(args.limit)
    rows = [{"id": f.pk, "url": f.url, "reason": f.reason, "detail": f.detail, "attempts": f.attempts,
             "created": f.created.isoformat(), "retry_at": f.retry_at.isoformat() if f.retry_at else None}
            for f in flags]
    if args.json or args.output is not None:
        with json_lines(args.output) as stream:
            for row in rows:
                write_object(stream, row)
        return ExitCode.DONE
    table = Table("id", "url", "reason", "detail", "attempts", "retry at")
    for row in rows:
        table.add_row(str(row["id"]), row["url"], row["reason"], row["detail"], str(row["attempts"]),
                      str(row["retry_at"] or "-"))
    Console().print(table)
    return ExitCode.DONE


def _resolve(args: argparse.Namespace) -> int:
    from sentinelle.attribution.exceptions import AttributionError
    from sentinelle.attribution.services import resolve_flag
    from sentinelle.audit.services import Actor
    from sentinelle.cli.database import cli_actor

    kind, name = cli_actor()
    try:
        flag = resolve_flag(args.resolve_flag, actor=Actor(kind, name), resolution=args.resolution)
    except AttributionError as exc:
        _say(str(exc))
        return ExitCode.USAGE
    print(json.dumps({"id": flag.pk, "url": flag.url, "reason": flag.reason, "resolution": flag.resolution}))
    return ExitCode.DONE
