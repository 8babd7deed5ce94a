"""``sentinelle notices``: what was (or will be) sent to whom, and sending again."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sentinelle.cli import notices_items
from sentinelle.cli.database import cli_actor, setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.progress import stderr_console

STATUSES = ("draft", "queued", "sending", "retrying", "sent", "failed", "cancelled")
KINDS = ("notice", "retraction", "reminder", "escalation")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "notices", help="notices to hosting providers: list, show, send; pending matches, items, rechecks",
        description="Notices: one per recipient and window, sent by mail and webhook by "
        "`sentinelle worker`. See docs/notices.md.",
    )
    sub = parser.add_subparsers(title="notice commands", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="notices, newest first (a table, or JSON Lines)")
    listing.add_argument("--failed", action="store_true",
                         help="only the notices that failed for good (the operator must act)")
    listing.add_argument("--status", choices=STATUSES, help="only the notices in this state")
    listing.add_argument("--recipient", metavar="KEY", help="only the notices to this recipient")
    listing.add_argument("--kind", choices=KINDS, help="only the messages of this kind")
    listing.add_argument("--limit", type=int, default=100, metavar="N", help="at most N (default: %(default)s)")
    listing.add_argument("--json", action="store_true", help="JSON Lines instead of a table")
    listing.set_defaults(run=run_list)
    show = sub.add_parser("show", help="one notice with its items, timeline and delivery attempts (JSON)")
    show.add_argument("reference", metavar="REFERENCE", help="e.g. SN-2026-000123")
    show.set_defaults(run=run_show)
    send = sub.add_parser(
        "send", help="send a notice now (a draft before its window ends, or a failed one again)",
        description="Queue the notice for the worker now (audited). A failed notice is tried "
        "again on the channels that failed, with the same Message-ID.",
    )
    send.add_argument("reference", metavar="REFERENCE")
    send.set_defaults(run=run_send)
    notices_items.add_parsers(sub)


def _fail(message: str, code: ExitCode = ExitCode.FAILED) -> ExitCode:
    stderr_console().print(f"sentinelle notices: {message}", markup=False, soft_wrap=True)
    return code


def run_list(args: argparse.Namespace) -> ExitCode:
    if args.limit < 1:
        return _fail("--limit must be at least 1", ExitCode.USAGE)
    setup_django()
    from django.db.models import Count

    from sentinelle.notices.models import Notice
    from sentinelle.notices.services import describe

    notices = Notice.objects.select_related("retracts", "follows").annotate(
        item_count=Count("items", distinct=True) + Count("followed_items", distinct=True))
    if args.failed or args.status:
        notices = notices.filter(status="failed" if args.failed else args.status)
    if args.recipient:
        notices = notices.filter(recipient_key=args.recipient)
    if args.kind:
        notices = notices.filter(kind=args.kind)
    rows = [{**describe(n), "items": n.item_count} for n in notices.order_by("-created", "-id")[: args.limit]]
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return ExitCode.DONE
    from rich.console import Console
    from rich.table import Table

    table = Table("reference", "kind", "status", "recipient", "items", "email", "webhook", "created", "last error")
    for row in rows:
        table.add_row(
            str(row["reference"]), str(row["kind"]), str(row["status"]), str(row["recipient"]["key"]),
            str(row["items"]), *(str(row["channels"][c]) for c in ("email", "webhook")),
            str(row["created"])[:16], str(row["last_error"])[:60],
        )
    Console().print(table)
    return ExitCode.DONE


def run_show(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.notices.exceptions import NoticesError
    from sentinelle.notices.models import NoticeItem
    from sentinelle.notices.services import describe, get_notice

    try:
        notice = get_notice(args.reference)
    except NoticesError as exc:
        return _fail(str(exc))
    items = {"notice": notice.items, "retraction": notice.retracted_items}.get(
        notice.kind, NoticeItem.objects.filter(follow_ups__notice=notice))
    report: dict[str, Any] = {
        **describe(notice),
        "items": [
            {"report_id": str(i.report_id), "url": i.url, "category": i.category, "status": i.status,
             "sha256": i.sha256, "md5": i.md5, "sha1": i.sha1, "pdq": i.pdq,
             "first_seen": i.first_seen.isoformat(), "last_verified": i.last_verified.isoformat(),
             "retraction": i.retraction.reference if i.retraction_id else None, **notices_items.item_state(i)}
            for i in items.select_related("retraction").order_by("id")
        ],
        "timeline": [
            {"at": e.at.isoformat(), "event": e.event, "actor": e.actor, "details": e.details,
             "item": str(e.item.report_id) if e.item_id else None}
            for e in notice.events.select_related("item").order_by("id")
        ],
        "attempts": [
            {"number": a.number, "channel": a.channel, "worker": a.worker, "started": a.started.isoformat(),
             "finished": a.finished.isoformat() if a.finished else None, "outcome": a.outcome, "detail": a.detail}
            for a in notice.attempts_made.order_by("id")
        ],
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return ExitCode.DONE


def run_send(args: argparse.Namespace) -> ExitCode:
    setup_django()
    from sentinelle.audit.services import Actor
    from sentinelle.notices.exceptions import NoticesError
    from sentinelle.notices.services import describe, request_send

    kind, name = cli_actor()
    try:
        notice = request_send(args.reference, actor=Actor(kind, name))
    except NoticesError as exc:
        return _fail(str(exc))
    print(json.dumps(describe(notice)))
    return ExitCode.DONE
