"""``sentinelle notices pending|items|recheck``: what waits for an analyst, each noticed URL's
state (rechecks, reminders, escalation, removal), and asking for a recheck now."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sentinelle.cli.database import cli_actor, setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.progress import stderr_console

WAITING = ("analyst", "unattributed", "invalid")
ITEM_STATUSES = ("open", "removed", "disputed", "retracted")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pending = sub.add_parser(
        "pending", help="matched sightings not noticed: waiting for an analyst or a recipient (JSON Lines)",
        description="Sightings the intake did not put on a notice: matches against lists that are not "
        "verified (or disabled, or of another category) wait for an analyst; URLs attribution found "
        "nobody for are tried again later; URLs that cannot go on a notice.",
    )
    pending.add_argument("--state", choices=WAITING, action="append",
                         help="only this state (repeat for several; default: all three)")
    pending.add_argument("--limit", type=int, default=1000, metavar="N", help="at most N (default: %(default)s)")
    pending.set_defaults(run=run_pending)
    items = sub.add_parser("items", help="noticed URLs: rechecks, reminders, escalation, removal (JSON Lines)")
    items.add_argument("--status", choices=ITEM_STATUSES, help="only the items in this state")
    items.add_argument("--flagged", action="store_true", help="only the items flagged for an analyst "
                       "(law enforcement)")
    items.add_argument("--escalated", action="store_true", help="only the items that escalated")
    items.add_argument("--limit", type=int, default=1000, metavar="N", help="at most N (default: %(default)s)")
    items.set_defaults(run=run_items)
    recheck = sub.add_parser("recheck", help="recheck a noticed URL as soon as a worker can (audited)")
    recheck.add_argument("item", metavar="REPORT_ID", help="the item's XARF report id (or its number)")
    recheck.add_argument("--reason", required=True, metavar="TEXT")
    recheck.set_defaults(run=run_recheck)


def _fail(message: str, code: ExitCode = ExitCode.FAILED) -> ExitCode:
    stderr_console().print(f"sentinelle notices: {message}", markup=False, soft_wrap=True)
    return code


def item_state(item: Any) -> dict[str, Any]:
    """An item's rechecks, reminders, escalation and removal."""
    def when(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "checks": item.checks, "inconclusive_checks": item.inconclusive_checks,
        "last_checked_at": when(item.last_checked_at), "last_check": item.last_check,
        "last_check_detail": item.last_check_detail, "next_check_at": when(item.next_check_at),
        "reminders": item.reminders, "escalations": item.escalations, "escalated_at": when(item.escalated_at),
        "analyst_flag": item.analyst_flag, "removed_at": when(item.removed_at),
        "time_to_removal_seconds": item.time_to_removal.total_seconds() if item.time_to_removal else None,
    }


def run_pending(args: argparse.Namespace) -> ExitCode:
    if args.limit < 1:
        return _fail("--limit must be at least 1", ExitCode.USAGE)
    setup_django()
    from sentinelle.notices.from_matches import pending

    for row in pending(tuple(args.state or WAITING), limit=args.limit):
        sighting = row.sighting
        print(json.dumps({
            "sighting": sighting.pk, "url": sighting.url, "sha256": sighting.media.sha256,
            "seen_at": sighting.seen_at.isoformat(), "state": row.state, "reason": row.reason,
            "attempts": row.attempts, "retry_at": row.retry_at.isoformat() if row.retry_at else None,
            "matches": [{"list": m.list_name, "signal_type": m.signal_type, "hash": m.hash,
                         "distance": m.distance, "confirmed_reference": m.confirmed_reference}
                        for m in sighting.matches.order_by("id")],
        }))
    return ExitCode.DONE


def run_items(args: argparse.Namespace) -> ExitCode:
    if args.limit < 1:
        return _fail("--limit must be at least 1", ExitCode.USAGE)
    setup_django()
    from sentinelle.notices.models import NoticeItem

    items = NoticeItem.objects.select_related("notice").filter(notice__kind="notice")
    if args.status:
        items = items.filter(status=args.status)
    if args.flagged:
        items = items.exclude(analyst_flag="")
    if args.escalated:
        items = items.filter(escalated_at__isnull=False)
    for item in items.order_by("-id")[: args.limit]:
        print(json.dumps({
            "report_id": str(item.report_id), "notice": item.notice.reference,
            "recipient": item.notice.recipient_key, "url": item.url, "sha256": item.sha256,
            "status": item.status, "sent_at": item.notice.sent_at.isoformat() if item.notice.sent_at else None,
            **item_state(item),
        }))
    return ExitCode.DONE


def run_recheck(args: argparse.Namespace) -> ExitCode:
    setup_django()
    import uuid

    from sentinelle.audit.services import Actor
    from sentinelle.notices.exceptions import NoticesError
    from sentinelle.notices.models import NoticeItem
    from sentinelle.notices.rechecks import request_recheck

    text = args.item.strip()
    try:
        lookup = {"pk": int(text)} if text.isdigit() else {"report_id": uuid.UUID(text)}
    except ValueError:
        return _fail(f"{text!r} is neither a report id nor an item number", ExitCode.USAGE)
    item = NoticeItem.objects.filter(**lookup).first()
    if item is None:
        return _fail(f"no notice item {text}")
    kind, name = cli_actor()
    try:
        request_recheck(item.pk, reason=args.reason, actor=Actor(kind, name))
    except NoticesError as exc:
        return _fail(str(exc))
    item.refresh_from_db()
    print(json.dumps({"report_id": str(item.report_id), "status": item.status, **item_state(item)}))
    return ExitCode.DONE
