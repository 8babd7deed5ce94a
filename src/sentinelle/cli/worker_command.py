"""``sentinelle worker``: run the background tasks and the scheduler that enqueues due work."""

from __future__ import annotations

import argparse
import os
import signal
import socket
from pathlib import Path
from types import FrameType
from typing import Any

from sentinelle.cli.database import setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.output import json_lines, write_object
from sentinelle.cli.progress import stderr_console

MAX_NAME = 64


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "worker",
        help="run background work: notice matches, send notices, recheck, remind, escalate, retract",
        description=(
            "Run the task worker (Django's Tasks API, database backend) and the scheduler that "
            "enqueues due work: new matches to put on notices, notices whose window ended or "
            "whose retry time came, notices whose sender died mid-send, retraction sweeps after "
            "list changes, rechecks of noticed URLs (with reminders and escalation). Writes one JSON "
            "object per task run, and a summary at the end. SIGINT or SIGTERM stops it after "
            "the running task (a second one stops it at once). See docs/notices.md."
        ),
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one scheduler pass and the tasks ready then; exit")
    mode.add_argument("--until-idle", action="store_true",
                      help="exit when nothing is due and no task is ready")
    parser.add_argument("--poll", type=float, default=1.0, metavar="SECONDS",
                        help="look for due work this often when idle (default: %(default)s)")
    parser.add_argument("--name", metavar="NAME",
                        help=f"this worker's name in claims and audit events, at most {MAX_NAME} "
                        "characters (default: worker-HOSTNAME-PID)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write JSON Lines here, not to stdout")
    parser.add_argument("--hosts-file", type=Path, metavar="FILE",
                        help="resolve host names from this hosts file (the sandbox's), never DNS, for "
                        "attribution and rechecks")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    console = stderr_console()

    def say(text: str) -> None:
        console.print(f"sentinelle worker: {text}", markup=False, soft_wrap=True, highlight=False)

    name = args.name or f"worker-{socket.gethostname()}-{os.getpid()}"[:MAX_NAME]
    if not 0 < len(name) <= MAX_NAME or args.poll <= 0:
        say(f"--name must have 1 to {MAX_NAME} characters and --poll must be > 0")
        return ExitCode.USAGE
    setup_django()
    from sentinelle.exceptions import SentinelleError
    from sentinelle.notices import configuration
    from sentinelle.notices.delivery.assembly import channels, development_mode
    from sentinelle.worker.runner import Mode, WorkerLoop
    from sentinelle.worker.scheduler import Scheduler
    from sentinelle.worker.sources import due_work

    try:
        configuration.sender()
        configuration.recheck_interval()
        configuration.ladder()
        channels()
    except SentinelleError as exc:
        say(str(exc))
        return ExitCode.FAILED
    if args.hosts_file is not None:
        from sentinelle.notices import wiring
        from sentinelle.sandbox.resolver import SandboxResolver

        try:
            wiring.install(wiring.Wiring(SandboxResolver.from_hosts_file(args.hosts_file)))
        except (OSError, ValueError, SentinelleError) as exc:
            say(f"--hosts-file {args.hosts_file}: {exc}")
            return ExitCode.USAGE
    problem = _database_problem()
    if problem:
        say(f"the database cannot be used: {problem} (run `sentinelle migrate`)")
        return ExitCode.FAILED
    if development_mode():
        say("SENTINELLE_SMTP_URL is not set: notices will be LOGGED, NOT SENT (development mode)")
    mode = Mode.ONCE if args.once else Mode.UNTIL_IDLE if args.until_idle else Mode.FOREVER
    with json_lines(args.output) as stream:
        def emit(row: dict[str, Any]) -> None:
            write_object(stream, row)
            stream.flush()

        loop = WorkerLoop(Scheduler(due_work()), worker_id=name, poll=args.poll, mode=mode, on_task=emit)
        previous = _install_stop(loop, say)
        say(f"{name} started ({mode}); SIGINT or SIGTERM stops it")
        try:
            stats = loop.run()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        emit({"type": "summary", "worker": name, **stats.as_dict()})
    say(f"stopped: {stats.tasks} tasks run ({stats.failed} failed) in {stats.ticks} scheduler passes")
    return ExitCode.DONE


def _database_problem() -> str:
    from django.db import DatabaseError
    from django_tasks_db.models import DBTaskResult

    from sentinelle.notices.models import Hotline, Notice, SweepCursor

    try:
        for model in (Notice, SweepCursor, Hotline, DBTaskResult):
            model.objects.exists()
    except DatabaseError as exc:
        return str(exc).strip()
    return ""


def _install_stop(loop: Any, say: Any) -> dict[int, Any]:
    """SIGINT/SIGTERM: stop after the running task; the second one: stop now."""
    previous: dict[int, Any] = {}

    def stop(number: int, frame: FrameType | None) -> None:
        if loop.stopping:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        say(f"{signal.Signals(number).name}: stopping after the running task")
        loop.stop()

    for number in (signal.SIGINT, signal.SIGTERM):
        previous[number] = signal.getsignal(number)
        signal.signal(number, stop)
    return previous
