"""``sentinelle stats``: pages, images, matches, notices, removals and time to removal."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from sentinelle.cli.database import setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.progress import stderr_console


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "stats", help="figures: pages, images, matches, notices, removals, time to removal",
        description="What was crawled, matched and noticed, and how fast hosts removed what they "
        "were sent: median and 90th percentile of the time to removal (from the notice to the "
        "recheck that found the file gone), overall, per provider and per country. A table, or "
        "one JSON object with --json. See docs/notices.md.",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object instead of tables")
    parser.add_argument("--since", metavar="WHEN", help="from this moment on (ISO 8601 date or time, UTC "
                        "unless it says otherwise); removals: of the notices sent from then")
    parser.add_argument("--until", metavar="WHEN", help="before this moment (same form)")
    parser.set_defaults(run=run)


def moment(text: str | None) -> datetime | None:
    """An ISO 8601 date (midnight UTC) or time (UTC unless an offset is given); ValueError."""
    if text is None:
        return None
    value = datetime.fromisoformat(text.strip())
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def run(args: argparse.Namespace) -> ExitCode:
    console = stderr_console()
    try:
        since, until = moment(args.since), moment(args.until)
    except ValueError as exc:
        console.print(f"sentinelle stats: --since/--until: {exc}", markup=False, soft_wrap=True)
        return ExitCode.USAGE
    if since is not None and until is not None and until <= since:
        console.print("sentinelle stats: --until must come after --since", markup=False)
        return ExitCode.USAGE
    setup_django()
    from sentinelle.notices.stats import compute

    figures = compute(since=since, until=until)
    if args.json:
        print(json.dumps(figures))
    else:
        _tables(figures)
    return ExitCode.DONE


def duration(seconds: float | None) -> str:
    """``3 d 4 h``, ``2 h 05 min``, ``4 min 10 s``, ``-`` for none."""
    if seconds is None:
        return "-"
    whole = round(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _tables(figures: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console()
    crawl, matches, notices, removal = figures["crawl"], figures["matches"], figures["notices"], figures["removal"]
    period = figures["period"]
    summary = Table("figure", "value", title=f"sentinelle stats ({period['since'] or 'start'} .. {period['until'] or 'now'})")
    for label, value in (
        ("pages", crawl["pages"]), ("images", crawl["images"]), ("sightings", crawl["sightings"]),
        ("matched sightings", matches["sightings"]), ("matched files", matches["files"]),
        ("waiting for an analyst", matches["intake"]["analyst"]),
        ("waiting for a recipient", matches["intake"]["unattributed"]),
        ("notices sent", notices["sent"]), ("reminders sent", notices["reminders"]),
        ("escalations sent", notices["escalations"]), ("retractions sent", notices["retractions"]),
        ("notices failed", notices["failed"]), ("URLs noticed", removal["noticed"]),
        ("removed", removal["removed"]), ("still online", removal["open"]), ("escalated", removal["escalated"]),
        ("flagged for an analyst", removal["flagged"]),
        ("median time to removal", duration(removal["median_seconds"])),
        ("90th percentile", duration(removal["p90_seconds"])),
    ):
        summary.add_row(label, str(value))
    out.print(summary)
    for key, title in (("providers", "provider"), ("countries", "country")):
        table = Table(title, "noticed", "removed", "open", "escalated", "median", "p90", title=f"per {title}")
        for row in figures[key]:
            table.add_row(row[title], str(row["noticed"]), str(row["removed"]), str(row["open"]),
                          str(row["escalated"]), duration(row["median_seconds"]), duration(row["p90_seconds"]))
        out.print(table)
