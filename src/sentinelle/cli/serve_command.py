"""``sentinelle serve``: the web server (gunicorn with the Django application)."""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys

from sentinelle.cli.database import setup_django
from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.progress import stderr_console

MAX_WORKERS = 64


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the web server: the pages providers answer notices on",
        description=(
            "Serve sentinelle's web pages with gunicorn (a pre-fork WSGI server, not a "
            "development server): the provider response pages reached from notices' signed "
            "links. Refuses to start (exit 3) when the database is not migrated. Writes one JSON "
            "object with the address once it listens; SIGTERM stops it after the running "
            "requests, SIGINT at once. Put a TLS reverse proxy in front of it. See docs/web.md."
        ),
    )
    parser.add_argument("--bind", default="127.0.0.1:8000", metavar="HOST:PORT",
                        help="address to listen on; [::1]:8000 for IPv6, port 0 for any free "
                        "port (default: %(default)s)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help=f"worker processes, 1 to {MAX_WORKERS} (default: 2 x cores + 1, at most 8)")
    parser.add_argument("--threads", type=int, default=4, metavar="N",
                        help="threads per worker, 1 to 64 (default: %(default)s)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    console = stderr_console()

    def say(text: str) -> None:
        console.print(f"sentinelle serve: {text}", markup=False, soft_wrap=True, highlight=False)

    workers = args.workers if args.workers is not None else min(2 * (os.cpu_count() or 1) + 1, 8)
    bind = _bind(args.bind)
    if bind is None or not 1 <= workers <= MAX_WORKERS or not 1 <= args.threads <= 64:
        say(f"--bind must be HOST:PORT (e.g. 127.0.0.1:8000 or [::1]:8000), --workers 1 to "
            f"{MAX_WORKERS}, --threads 1 to 64")
        return ExitCode.USAGE
    from sentinelle.exceptions import SentinelleError

    try:
        setup_django()
    except SentinelleError as exc:
        say(str(exc))
        return ExitCode.FAILED
    from django.conf import settings

    from sentinelle.web.readiness import database_problem
    from sentinelle.web.serving import SentinelleServer, ServeOptions

    problem = database_problem()
    if problem:
        say(f"{problem}: run `sentinelle migrate` first")
        return ExitCode.FAILED
    if settings.DEBUG:
        say("SENTINELLE_DEBUG is on: error pages show internals. NEVER in production")

    def ready(addresses: list[str]) -> None:
        for address in addresses:
            print(json.dumps({"type": "listening", "url": f"{address}/", "public_url": settings.PUBLIC_URL}),
                  flush=True)
        say(f"listening on {', '.join(addresses)} ({workers} workers x {args.threads} threads); "
            f"links in notices use {settings.PUBLIC_URL}; SIGTERM or SIGINT stops it")

    server = SentinelleServer(ServeOptions(bind, workers, args.threads), on_ready=ready,
                              on_exit=lambda: say("stopped"))
    try:
        server.run()
    except SystemExit as exc:  # gunicorn's arbiter ends with sys.exit
        sys.stdout.flush()
        return ExitCode.DONE if exc.code in (0, None) else ExitCode.FAILED
    return ExitCode.DONE


def _bind(value: str) -> str | None:
    """``value`` as gunicorn's bind (HOST:PORT, [V6]:PORT), or None when it is not one."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        return None
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return None
    elif ":" in host or not host.replace(".", "").replace("-", "").isalnum():
        return None
    return f"{host}:{int(port)}"
