"""``sentinelle providers``: the provider directory (providers, networks, contacts, overrides).

Every change is audited; a bad value changes nothing and exits 2.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from sentinelle.cli.database import cli_actor, setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.progress import stderr_console

KINDS = ("hosting", "cdn", "registrar", "upstream")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "providers", help="the provider directory: who hosts what, and how to reach them",
        description="Providers (hosts, CDNs, registrars, upstreams), their networks and AS numbers, "
        "their contacts (e-mail or webhook, language) and operator overrides, which always win "
        "over RDAP. Every change is audited. See docs/attribution.md.",
    )
    sub = parser.add_subparsers(title="provider commands", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="every provider, with its networks and contacts")
    listing.add_argument("--json", action="store_true", help="JSON Lines instead of a table")
    listing.set_defaults(run=run_list)
    show = sub.add_parser("show", help="one provider, everything about it (JSON)")
    show.add_argument("slug", metavar="SLUG")
    show.set_defaults(run=run_show)

    add = sub.add_parser("add", help="add a provider (audited)")
    add.add_argument("slug", metavar="SLUG", help="lowercase letters, digits and dashes")
    add.add_argument("--name", required=True)
    _provider_options(add, kind_default="hosting")
    add.add_argument("--notes", default="", metavar="TEXT")
    add.set_defaults(run=run_add)
    update = sub.add_parser("update", help="change a provider's name, kind, countries or origin lookup (audited)")
    update.add_argument("slug", metavar="SLUG")
    update.add_argument("--name")
    _provider_options(update, kind_default=None)
    update.set_defaults(run=run_update)
    note = sub.add_parser("note", help="add a dated note to a provider (audited)")
    note.add_argument("slug", metavar="SLUG")
    note.add_argument("text", metavar="TEXT")
    note.set_defaults(run=run_note)

    network = sub.add_parser("add-network", help="give a provider networks (CIDR) or AS numbers (audited)")
    network.add_argument("slug", metavar="SLUG")
    network.add_argument("networks", nargs="+", metavar="CIDR_OR_ASN", help="127.64.1.0/24, AS64500")
    network.set_defaults(run=run_add_network)
    unnet = sub.add_parser("remove-network", help="take a network or AS number from a provider (audited)")
    unnet.add_argument("slug", metavar="SLUG")
    unnet.add_argument("network", metavar="CIDR_OR_ASN")
    unnet.set_defaults(run=run_remove_network)

    contact = sub.add_parser("set-contact", help="add or change a contact of a provider (audited)",
                             description="An operator contact wins over the abuse contact RDAP gives.")
    contact.add_argument("slug", metavar="SLUG")
    contact.add_argument("address", metavar="EMAIL_OR_URL")
    contact.add_argument("--channel", choices=("email", "webhook"), default="email")
    contact.add_argument("--role", choices=("abuse", "legal", "technical"), default="abuse")
    contact.add_argument("--language", choices=("en", "fr"), default="en", help="of the notices it gets")
    contact.add_argument("--preferred", action="store_true", help="notices go to preferred contacts only")
    contact.add_argument("--secret-ref", default="", metavar="NAME",
                         help="webhook: the name of its signing secret (never the secret itself)")
    contact.add_argument("--note", default="", metavar="TEXT")
    contact.set_defaults(run=run_set_contact)
    uncontact = sub.add_parser("remove-contact", help="remove a provider's contact (audited)")
    uncontact.add_argument("slug", metavar="SLUG")
    uncontact.add_argument("address", metavar="EMAIL_OR_URL")
    uncontact.set_defaults(run=run_remove_contact)

    override = sub.add_parser("override", help="send a host, a domain or a network to a provider (audited)",
                              description="Overrides always win over the directory's networks and RDAP.")
    override.add_argument("kind", choices=("host", "domain", "network"))
    override.add_argument("value", metavar="VALUE")
    override.add_argument("slug", metavar="SLUG")
    override.add_argument("--reason", required=True)
    override.set_defaults(run=run_override)
    unoverride = sub.add_parser("remove-override", help="remove an override (audited)")
    unoverride.add_argument("kind", choices=("host", "domain", "network"))
    unoverride.add_argument("value", metavar="VALUE")
    unoverride.add_argument("--reason", default="")
    unoverride.set_defaults(run=run_remove_override)
    overrides = sub.add_parser("overrides", help="every override")
    overrides.add_argument("--json", action="store_true", help="JSON Lines instead of a table")
    overrides.set_defaults(run=run_overrides)


def _provider_options(parser: argparse.ArgumentParser, kind_default: str | None) -> None:
    parser.add_argument("--kind", choices=KINDS, default=kind_default)
    parser.add_argument("--countries", metavar="CC,CC", help="ISO country codes, e.g. CA,FR")
    parser.add_argument("--origin-lookup", metavar="TEMPLATE",
                        help="CDN: URL that reveals a fronted URL's origin, with {url} and/or {host}")


def _actor() -> Any:
    from sentinelle.audit.services import Actor

    kind, name = cli_actor()
    return Actor(kind, name)


def _edit(args: argparse.Namespace, change: Any) -> ExitCode:
    """Run ``change()`` (returns a provider slug) and print the provider; errors exit 2 or 3."""
    setup_django()
    from sentinelle.attribution.exceptions import (
        DirectoryError,
        InvalidDirectoryEntry,
        ProviderExists,
    )
    from sentinelle.attribution.providers import get_provider, summary

    try:
        slug = change()
    except (InvalidDirectoryEntry, ProviderExists) as exc:
        return _fail(str(exc), ExitCode.USAGE)
    except DirectoryError as exc:
        return _fail(str(exc))
    if slug:
        print(json.dumps(summary(get_provider(slug))))
    return ExitCode.DONE


def _fail(message: str, code: ExitCode = ExitCode.FAILED) -> ExitCode:
    stderr_console().print(f"sentinelle providers: {message}", markup=False, soft_wrap=True)
    return code


def run_add(args: argparse.Namespace) -> ExitCode:
    def change() -> str:
        from sentinelle.attribution.providers import create_provider

        return create_provider(args.slug, args.name, actor=_actor(), kind=args.kind, countries=args.countries or "",
                               notes=args.notes, origin_lookup=args.origin_lookup or "").slug

    return _edit(args, change)


def run_update(args: argparse.Namespace) -> ExitCode:
    changes = {k: v for k, v in {"name": args.name, "kind": args.kind, "countries": args.countries,
                                 "origin_lookup": args.origin_lookup}.items() if v is not None}
    if not changes:
        return _fail("nothing to change: give --name, --kind, --countries or --origin-lookup", ExitCode.USAGE)

    def change() -> str:
        from sentinelle.attribution.providers import update_provider

        return update_provider(args.slug, actor=_actor(), **changes).slug

    return _edit(args, change)


def run_note(args: argparse.Namespace) -> ExitCode:
    def change() -> str:
        from sentinelle.attribution.providers import add_note

        return add_note(args.slug, args.text, actor=_actor()).slug

    return _edit(args, change)


def run_add_network(args: argparse.Namespace) -> ExitCode:
    def change() -> str:
        from django.db import transaction

        from sentinelle.attribution.providers import add_network

        with transaction.atomic():  # all of them or none
            for value in args.networks:
                number = value.strip().upper().removeprefix("AS")
                if number.isdigit():
                    add_network(args.slug, actor=_actor(), asn=int(number))
                else:
                    add_network(args.slug, actor=_actor(), cidr=value)
        return str(args.slug)

    return _edit(args, change)


def run_remove_network(args: argparse.Namespace) -> ExitCode:
    def change() -> str:
        from sentinelle.attribution.providers import remove_network

        remove_network(args.slug, args.network, actor=_actor())
        return str(args.slug)

    return _edit(args, change)


def run_set_contact(args: argparse.Namespace) -> ExitCode:
    def change() -> str:
        from sentinelle.attribution.providers import set_contact

        set_contact(args.slug, args.address, actor=_actor(), channel=args.channel, role=args.role,
                    language=args.language, preferred=args.preferred, secret_ref=args.secret_ref, note=args.note)
        return str(args.slug)

    return _edit(args, change)


def run_remove_contact(args: argparse.Namespace) -> ExitCode:
    def change() -> str:
        from sentinelle.attribution.providers import remove_contact

        remove_contact(args.slug, args.address, actor=_actor())
        return str(args.slug)

    return _edit(args, change)


def run_override(args: argparse.Namespace) -> ExitCode:
    def change() -> str:
        from sentinelle.attribution.providers import add_override

        return str(add_override(args.kind, args.value, args.slug, reason=args.reason, actor=_actor()).provider.slug)

    return _edit(args, change)


def run_remove_override(args: argparse.Namespace) -> ExitCode:
    def change() -> str:
        from sentinelle.attribution.providers import remove_override

        remove_override(args.kind, args.value, actor=_actor(), reason=args.reason)
        print(json.dumps({"removed": {"kind": args.kind, "value": args.value}}))
        return ""

    return _edit(args, change)


def run_show(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.attribution.exceptions import UnknownProvider
    from sentinelle.attribution.providers import get_provider, summary

    try:
        print(json.dumps(summary(get_provider(args.slug)), indent=2))
    except UnknownProvider as exc:
        return _fail(str(exc))
    return ExitCode.DONE


def run_list(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from rich.console import Console
    from rich.table import Table

    from sentinelle.attribution.models import Provider
    from sentinelle.attribution.providers import summary

    rows = [summary(p) for p in Provider.objects.all()]
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return ExitCode.DONE
    table = Table("slug", "name", "kind", "countries", "networks", "contacts")
    for row in rows:
        contacts = ", ".join(f"{c['address']} ({c['language']}{', preferred' if c['preferred'] else ''})"
                             for c in row["contacts"])
        table.add_row(row["slug"], row["name"], row["kind"], row["countries"], ", ".join(row["networks"]), contacts)
    Console().print(table)
    return ExitCode.DONE


def run_overrides(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from rich.console import Console
    from rich.table import Table

    from sentinelle.attribution.models import Override
    from sentinelle.attribution.providers import override_state

    rows = [override_state(o) for o in Override.objects.select_related("provider").order_by("kind", "value")]
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return ExitCode.DONE
    table = Table("kind", "value", "provider", "reason", "by")
    for row in rows:
        table.add_row(row["kind"], row["value"], row["provider"], row["reason"], row["created_by"])
    Console().print(table)
    return ExitCode.DONE
