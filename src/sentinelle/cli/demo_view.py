"""What ``sentinelle demo`` shows: a progress line while it runs, then the summary tables."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

from rich import box
from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from sentinelle.cli.stats_command import duration


class DemoProgress:
    """A one-line live display on standard error (a terminal), else one line per phase."""

    def __init__(self, console: Console, *, enabled: bool) -> None:
        self.console = console
        self.live = Live(console=console, transient=True, refresh_per_second=4) if enabled else None
        self.started = time.monotonic()
        self._phase = ""

    def __enter__(self) -> DemoProgress:
        if self.live is not None:
            self.live.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.live is not None:
            self.live.stop()

    def __call__(self, event: Any) -> None:
        text = _line(event.phase, event.text, event.figures)
        if self.live is not None:
            self.live.update(f"[{time.monotonic() - self.started:5.1f} s] {text}")
        elif event.phase != self._phase:
            self.console.print(f"sentinelle demo: {event.phase}: {event.text}", markup=False, highlight=False,
                               soft_wrap=True)
        self._phase = event.phase


def _line(phase: str, text: str, figures: Any) -> str:
    if phase == "crawl" and figures:
        return (f"crawling: {figures.get('pages/fetched', 0)} pages, {figures.get('media/fetched', 0)} media files, "
                f"{figures.get('matches', 0)} matches")
    if phase == "simulation" and figures:
        return (f"simulated {duration(figures['simulated_seconds'])}: {figures['notices']} notices and "
                f"{figures['follow_ups']} reminders/escalations sent, {figures['removed']} of "
                f"{figures['items']} noticed URLs removed")
    return f"{phase}: {text}"


def short(seconds: float | None) -> str:
    """A simulated time in a few characters: ``30 min``, ``48 h``, ``4.5 d``."""
    if seconds is None:
        return "-"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 72 * 3600:
        return f"{seconds / 3600:.3g} h"
    return f"{seconds / 86400:.2g} d"


def show_summary(result: dict[str, Any], out: Console) -> None:
    stats, clock = result["stats"], result["clock"]
    crawl, matches, notices, removal = stats["crawl"], stats["matches"], stats["notices"], stats["removal"]
    table = Table("figure", "value", title="sentinelle demo: what happened", title_justify="left")
    for label, value in (
        ("pages", crawl["pages"]), ("images", crawl["images"]), ("matched sightings", matches["sightings"]),
        ("matched files", matches["files"]), ("noticed automatically (verified list)", matches["intake"]["noticed"]),
        ("waiting for an analyst (unverified list)", matches["intake"]["analyst"]),
        ("notices sent", notices["sent"]), ("reminders sent", notices["reminders"]),
        ("escalations sent", notices["escalations"]), ("URLs noticed", removal["noticed"]),
        ("removed", removal["removed"]), ("still online", removal["open"]),
        ("escalated", removal["escalated"]), ("flagged for law enforcement", removal["flagged"]),
        ("median time to removal", duration(removal["median_seconds"])),
        ("90th percentile", duration(removal["p90_seconds"])),
        ("mail received by the sink", result["mail"]["received"]),
    ):
        table.add_row(label, str(value))
    out.print(table)
    per = Table(title="per recipient (times to removal are simulated)", title_justify="left", box=box.SIMPLE_HEAD,
                pad_edge=False, collapse_padding=True)
    per.add_column("recipient", ratio=1)
    for name in ("removed", "disputed", "reminded", "escalated", "median", "p90"):
        per.add_column(name, justify="right", no_wrap=True)
    for row in result["recipients"]:
        per.add_row(f"{row['name']}\n  {row['policy'] or row['party']}",
                    f"{row.get('removed', 0)} of {row.get('noticed', 0)}", str(row["disputed"]),
                    str(row["reminders"]), str(row.get("escalated", 0)),
                    short(row.get("median_seconds")), short(row.get("p90_seconds")))
    out.print(per)
    if result["escalations"]:
        up = Table("escalated to", "role", "messages", title="escalations", title_justify="left", box=box.SIMPLE_HEAD)
        for row in result["escalations"]:
            up.add_row(f"{row['name']} <{row['email']}>", row["role"], str(row["sent"]))
        out.print(up)
    speed = f" (about {clock['speed']:,} times real time)" if clock.get("speed") else ""
    out.print(f"The clock was simulated: {duration(clock['simulated_seconds'])} passed in "
              f"{clock['real_seconds']:.0f} s{speed}, jumping to the next due moment once the work "
              f"due was done ({clock['reason']}). The whole demo took {result['seconds']:.0f} s.",
              highlight=False)
    for problem in result["missing"]:
        out.print(f"[bold red]MISSING[/]: {escape(problem)}", highlight=False)
    for failure in clock["task_failures"][:5]:
        out.print(f"[bold red]task failed[/]: {escape(str(failure))}", highlight=False)
