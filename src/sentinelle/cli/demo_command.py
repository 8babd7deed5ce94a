"""``sentinelle demo``: the whole main job against the sandbox web, on one machine."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import signal
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from sentinelle.cli.database import setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.progress import stderr_console

INTERRUPTED = 130


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "demo",
        help="the whole main job against the sandbox web: crawl, notices, takedowns, in about a minute",
        description=(
            "In a folder of its own, migrate a SQLite database, start the sandbox web (simulated "
            "hosting providers, RDAP registries, a CDN), a local SMTP sink and `sentinelle serve`; "
            "import the sandbox's known list, crawl, attribute, send notices, let the simulated "
            "providers react (one removes at once, one late, one never, one disputes), and run "
            "rechecks, reminders and escalation on a simulated clock. Then print what happened: "
            "pages, images, matches, notices, removals and time to removal per provider (the "
            "figures of `sentinelle stats`). The database is kept for `sentinelle serve`. "
            "Everything is benign generated pictures on loopback addresses; nothing leaves the "
            "machine. Ctrl-C stops it cleanly. See docs/demo.md."
        ),
    )
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="the demo's folder (default: $SENTINELLE_DATA_DIR/demo when that is set, "
                        "else ./sentinelle-demo); a folder the demo did not make is never touched")
    parser.add_argument("--fresh", action="store_true",
                        help="delete an earlier demo in that folder and start over")
    parser.add_argument("--seed", type=int, default=7, metavar="N",
                        help="the sandbox world's seed (default: %(default)s)")
    parser.add_argument("--images", type=int, default=200, metavar="N",
                        help="distinct images in the sandbox world, at least 12 (default: %(default)s)")
    parser.add_argument("--serve-port", type=int, metavar="PORT",
                        help="the port of the demo's `sentinelle serve` on 127.0.0.1 (default: a free one)")
    parser.add_argument("--json", action="store_true",
                        help="the summary as one JSON object on standard output instead of tables")
    parser.add_argument("--no-progress", action="store_true", help="no progress display")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    console = stderr_console()

    def say(text: str) -> None:
        console.print(f"sentinelle demo: {text}", markup=False, soft_wrap=True, highlight=False)

    from sentinelle.demo.exceptions import DemoInterrupted, FolderInUse
    from sentinelle.demo.folder import default_folder, mark, prepare
    from sentinelle.demo.plan import DemoPlan
    from sentinelle.exceptions import SentinelleError
    from sentinelle.sandbox import WorldConfigError

    if args.seed < 0 or (args.serve_port is not None and not 0 < args.serve_port < 65536):
        say("--seed must be >= 0 and --serve-port from 1 to 65535")
        return ExitCode.USAGE
    plan = DemoPlan(seed=args.seed, images=args.images)
    try:
        plan.world()
    except WorldConfigError as exc:
        say(str(exc))
        return ExitCode.USAGE
    had_database_url = "DATABASE_URL" in os.environ
    try:
        folder = prepare(args.data_dir or default_folder(), fresh=args.fresh)
    except FolderInUse as exc:
        say(str(exc))
        return ExitCode.FAILED
    from sentinelle.demo.stage import Stage

    stage = Stage(folder, plan, serve_port=args.serve_port)
    try:
        say(f"working in {folder}")
        stage.start()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="generated a secret key")
            setup_django()
        with _logging_to(folder / "demo.log"):
            result = _run(stage, console, progress=not args.no_progress and console.is_terminal)
    except KeyboardInterrupt:
        mark(folder, status="interrupted")
        say("interrupted; run again with --fresh to start over")
        return INTERRUPTED
    except DemoInterrupted as exc:
        mark(folder, status="interrupted")
        say(f"{exc}; the database in {folder} is usable; run again with --fresh to start over")
        return INTERRUPTED
    except SentinelleError as exc:  # the sandbox could not start, a setting cannot be used...
        mark(folder, status="failed")
        say(str(exc))
        return ExitCode.FAILED
    finally:
        stage.stop()
    if args.json:
        print(json.dumps(result))
    else:
        from rich.console import Console

        from sentinelle.cli.demo_view import show_summary

        show_summary(result, Console(width=None if sys.stdout.isatty() else 132))
    for line in _how_to_open(result, had_database_url):
        console.print(line, markup=False, soft_wrap=True, highlight=False)
    return ExitCode.DONE


@contextmanager
def _logging_to(path: Path) -> Iterator[None]:
    """sentinelle's log (warnings of the crawler, the keys generated...) goes to ``path`` while
    the progress display runs."""
    logger = logging.getLogger("sentinelle")
    kept = logger.handlers[:]
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.handlers = [handler]
    try:
        yield
    finally:
        logger.handlers = kept
        handler.close()


def _run(stage: Any, console: Any, *, progress: bool) -> dict[str, Any]:
    from sentinelle.cli.demo_view import DemoProgress
    from sentinelle.demo.services import Demo

    with DemoProgress(console, enabled=progress) as show:
        demo = Demo(stage, report=show)
        previous = _install_stop(demo, console)
        try:
            return demo.run()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)


def _install_stop(demo: Any, console: Any) -> dict[int, Any]:
    """SIGINT/SIGTERM: stop at the next safe point; the second one: stop now."""
    previous: dict[int, Any] = {}

    def stop(number: int, frame: FrameType | None) -> None:
        if demo.stopping:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        console.print(f"sentinelle demo: {signal.Signals(number).name}: stopping", markup=False)
        demo.stop()

    for number in (signal.SIGINT, signal.SIGTERM):
        previous[number] = signal.getsignal(number)
        signal.signal(number, stop)
    return previous


def _how_to_open(result: dict[str, Any], had_database_url: bool) -> list[str]:
    folder, public = shlex.quote(result["folder"]), result["serve"]["public_url"]
    port = public.rsplit(":", 1)[1]
    env = ("env -u DATABASE_URL " if had_database_url else "") + f"SENTINELLE_DATA_DIR={folder}"
    return [
        f"The demo's database is {result['database']} (mail received: {result['mail']['folder']}, "
        f"providers' takedown logs: {result['folder']}/takedowns, details: {result['folder']}/demo.log).",
        f"Open it: {env} SENTINELLE_PUBLIC_URL={public} sentinelle serve --bind 127.0.0.1:{port}",
        "  (the response links in the kept mail then work), or: "
        f"{env} sentinelle stats",
        f"The analysts' console: {env} sentinelle createadmin --username admin, then the command above and "
        f"{public}/en/console/ (a TOTP second factor is set up at the first login; "
        f"{len(result.get('reports', []))} tipline reports, the review queue and the notices are there).",
    ]
