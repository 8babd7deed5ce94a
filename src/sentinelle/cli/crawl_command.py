"""``sentinelle crawl``: fetch pages, hash and match their media, record what was seen."""

from __future__ import annotations

import argparse
import functools
import json
import socket
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console

from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.lists import ListLoadError, load_lists
from sentinelle.cli.progress import stderr_console
from sentinelle.config import ConfigurationError
from sentinelle.crawl.options import CrawlOptions, Expand, Robots, Scope

#: Exit status of a crawl stopped by Ctrl-C or SIGTERM (resumable with the same --job-dir).
INTERRUPTED = 130
_DEFAULTS = CrawlOptions(hash_workers=1)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "crawl",
        help="crawl web pages, match their media against hash lists, record sightings",
        description=(
            "Fetch each URL (through the egress guard), find every media file the page "
            "shows, hash and match it, and record a sighting of it in the database. Links "
            "of pages where a confirmed match was seen are followed, within limits. With "
            "--queue, crawl the requests queued in the database until stopped. One JSON "
            "object per sighting goes to standard output or --output; a summary to "
            "standard error. See docs/crawl.md."
        ),
    )
    parser.add_argument("urls", nargs="*", metavar="URL", help="pages (or media) to crawl")
    _work_options(parser)
    _limit_options(parser)
    _network_options(parser)
    _matching_options(parser)
    parser.set_defaults(run=run)


def _work_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("what to crawl")
    group.add_argument("--queue", action="store_true", help="crawl queued crawl requests until stopped")
    group.add_argument("--until-empty", action="store_true", help="with --queue: stop when none is due")
    group.add_argument("--poll", type=float, default=5.0, metavar="SECONDS",
                       help="with --queue: look for due requests this often when idle (default: %(default)s)")
    group.add_argument("--batch", type=int, default=4, metavar="N",
                       help="with --queue: requests claimed at a time (default: %(default)s)")
    group.add_argument("--worker", metavar="NAME",
                       help="this crawler's name in claims and audit events (default: "
                       "crawler-HOSTNAME); a restarted --queue worker must keep its name")
    group.add_argument("--job-dir", type=Path, metavar="DIR",
                       help="keep the crawl's journal here: run again with it to resume after a stop or crash")
    group.add_argument("--output", type=Path, metavar="FILE",
                       help="write JSON Lines here, not to stdout (appended to when resuming)")
    group.add_argument("--stats", type=Path, metavar="FILE", help="write the summary and every stat here (JSON)")
    group.add_argument("--fail-on-match", action="store_true", help="exit with 1 when anything matched")
    group.add_argument("--no-progress", action="store_true", help="never show the progress display")
    group.add_argument("--log-level", default="ERROR", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                       help="Scrapy's log level on standard error (default: %(default)s)")


def _limit_options(parser: argparse.ArgumentParser) -> None:
    d = _DEFAULTS
    group = parser.add_argument_group("limits")
    group.add_argument("--depth", type=int, default=d.depth, metavar="N",
                       help="follow links at most N steps from a seed (default: %(default)s)")
    group.add_argument("--max-pages", type=int, default=d.max_pages, metavar="N",
                       help="pages per crawl, seeds included (default: %(default)s)")
    group.add_argument("--max-pages-per-host", type=int, default=d.max_pages_per_host, metavar="N",
                       help="pages per host per crawl (default: %(default)s)")
    group.add_argument("--max-url-length", type=int, default=d.max_url_length, metavar="N",
                       help="longer page and media URLs are skipped (default: %(default)s)")
    group.add_argument("--scope", choices=[s.value for s in Scope], default=d.scope.value,
                       help="links followed: same host, same registrable domain, or any (default: %(default)s)")
    group.add_argument("--expand", choices=[e.value for e in Expand], default=d.expand.value,
                       help="follow links of confirmed pages only, or of every page (default: %(default)s)")
    group.add_argument("--frame-depth", type=int, default=d.frame_depth, metavar="N",
                       help="nested frames and stylesheet imports read (default: %(default)s)")
    group.add_argument("--max-page-bytes", type=int, default=d.max_page_bytes, metavar="N",
                       help="pages, stylesheets and frames larger than this are dropped, after "
                       "decompression too (default: %(default)s)")
    group.add_argument("--max-media-bytes", type=int, default=d.max_media_bytes, metavar="N",
                       help="media larger than this are dropped (default: %(default)s)")
    group.add_argument("--max-pixels", type=int, default=d.max_pixels, metavar="N",
                       help="images with more pixels are not decoded (default: %(default)s)")


def _network_options(parser: argparse.ArgumentParser) -> None:
    d = _DEFAULTS
    group = parser.add_argument_group("network and politeness")
    group.add_argument("--concurrency", type=int, default=d.concurrency, metavar="N",
                       help="requests in flight in all (default: %(default)s)")
    group.add_argument("--per-host", type=int, default=d.per_host, metavar="N",
                       help="requests in flight per host (default: %(default)s)")
    group.add_argument("--delay", type=float, default=d.delay, metavar="SECONDS",
                       help="between requests to one host, randomised x0.5-1.5 (default: %(default)s)")
    group.add_argument("--timeout", type=float, default=d.timeout, metavar="SECONDS",
                       help="whole-download time limit per request (default: %(default)s)")
    group.add_argument("--retries", type=int, default=d.retries, metavar="N",
                       help="more tries after timeouts, lost connections, 5xx, 429 (default: %(default)s)")
    group.add_argument("--max-redirects", type=int, default=d.max_redirects, metavar="N",
                       help="redirect hops followed per request (default: %(default)s)")
    group.add_argument("--robots", choices=[r.value for r in Robots], default=d.robots.value,
                       help="robots.txt policy (default: %(default)s; see docs/crawl.md)")
    group.add_argument("--user-agent", default=d.user_agent, metavar="TEXT",
                       help="User-Agent header (default: %(default)s)")
    group.add_argument("--hosts-file", type=Path, metavar="FILE",
                       help="resolve host names from this /etc/hosts-format file only, never DNS "
                       "(the sandbox web's `hosts`)")


def _matching_options(parser: argparse.ArgumentParser) -> None:
    d = _DEFAULTS
    group = parser.add_argument_group("matching and review")
    group.add_argument("--list", dest="lists", action="extend", nargs="+", default=[],
                       metavar="NAME_OR_FILE",
                       help="hash list file or stored list name (default: every enabled stored list)")
    group.add_argument("--signal-type", choices=("pdq", "md5", "sha1", "sha256"),
                       help="signal type of plain-text list files")
    group.add_argument("--threshold", type=int, metavar="N", help="PDQ threshold for every --list")
    group.add_argument("--hash-workers", type=int, default=None, metavar="N",
                       help="processes hashing and matching (default: one per core)")
    group.add_argument("--no-review", action="store_true",
                       help="do not keep unknown media of confirmed pages for review")
    group.add_argument("--review-buffer", type=int, default=d.review_buffer, metavar="BYTES",
                       help="memory for unknown media's bytes until their page is finished "
                       "(default: %(default)s)")


def options_from(args: argparse.Namespace) -> CrawlOptions:
    workers = {"hash_workers": args.hash_workers} if args.hash_workers is not None else {}
    return CrawlOptions(
        depth=args.depth, max_pages=args.max_pages, max_pages_per_host=args.max_pages_per_host,
        max_url_length=args.max_url_length, scope=Scope(args.scope), expand=Expand(args.expand),
        frame_depth=args.frame_depth, robots=Robots(args.robots), concurrency=args.concurrency,
        per_host=args.per_host, delay=args.delay, timeout=args.timeout, retries=args.retries,
        max_redirects=args.max_redirects, user_agent=args.user_agent,
        max_page_bytes=args.max_page_bytes, max_media_bytes=args.max_media_bytes,
        max_pixels=args.max_pixels, review=not args.no_review, review_buffer=args.review_buffer,
        job_dir=args.job_dir, **workers,
    )


def _usage(args: argparse.Namespace) -> str | None:
    if args.queue and args.urls:
        return "give URLs or --queue, not both"
    if not args.queue and not args.urls and args.job_dir is None:
        return "give URLs to crawl, --queue, or --job-dir to resume"
    if (args.until_empty or args.batch != 4) and not args.queue:
        return "--until-empty and --batch go with --queue"
    if args.batch < 1 or args.poll <= 0:
        return "--batch must be >= 1 and --poll > 0"
    return None


def run(args: argparse.Namespace) -> int:
    console = stderr_console()

    def say(text: str) -> None:
        console.print(f"sentinelle crawl: {text}", markup=False, soft_wrap=True, highlight=False)

    problem = _usage(args)
    if problem is None:
        try:
            options = options_from(args)
        except ValueError as exc:
            problem = str(exc)
    if problem is not None:
        say(problem)
        return ExitCode.USAGE
    from sentinelle.crawl.egress import EgressPolicy
    from sentinelle.crawl.exceptions import InvalidUrl

    try:
        EgressPolicy.from_environment()
    except ConfigurationError as exc:
        say(str(exc))
        return ExitCode.FAILED
    resolver = None
    if args.hosts_file is not None:
        from sentinelle.sandbox.resolver import SandboxResolver

        try:
            SandboxResolver.from_hosts_file(args.hosts_file)
        except (OSError, ValueError) as exc:
            say(f"--hosts-file {args.hosts_file}: {exc}")
            return ExitCode.USAGE
        resolver = functools.partial(SandboxResolver.from_hosts_file, args.hosts_file)
    from sentinelle.crawl.normalize import normalize_url

    try:
        for url in args.urls:
            normalize_url(url)
    except InvalidUrl as exc:
        say(str(exc))
        return ExitCode.USAGE
    return _crawl(args, options, resolver, say, console)


def _crawl(args: argparse.Namespace, options: CrawlOptions, resolver: Any, say: Any, console: Console) -> int:
    from sentinelle.cli.database import setup_django

    setup_django()
    from django.db import DatabaseError, connections

    from sentinelle.banks.models import StoredList
    from sentinelle.crawl.fleet_config import FleetUnavailable
    from sentinelle.crawl.models import CrawlRequest
    from sentinelle.crawl.runner import (
        CrawlJob,
        HashingUnavailable,
        JobMismatch,
        QueueMode,
        run_crawl,
    )
    from sentinelle.crawl.summary import summarize, summary_lines
    from sentinelle.sightings.models import Sighting

    try:
        Sighting.objects.exists()  # the tables are there (migrated) and reachable
        CrawlRequest.objects.exists()
        lists = load_lists(args.lists, signal_type=args.signal_type, threshold=args.threshold) if args.lists else None
        if lists is None and not StoredList.objects.filter(enabled=True).exists():
            say("no enabled stored list to match against: import one, or give --list")
            return ExitCode.FAILED
    except ListLoadError as exc:
        say(str(exc))
        return ExitCode.USAGE if exc.usage else ExitCode.FAILED
    except DatabaseError as exc:
        say(f"the database cannot be used: {str(exc).strip()} (run `sentinelle migrate`)")
        return ExitCode.FAILED
    finally:
        connections.close_all()
    worker = args.worker or f"crawler-{socket.gethostname()}"
    resuming = args.job_dir is not None and (args.job_dir / "journal.jsonl").exists()
    queue = QueueMode(args.batch, args.poll, args.until_empty) if args.queue else None
    with _output(args.output, append=resuming) as stream, _progress(console, args.no_progress) as show:
        job = CrawlJob(
            options=options, seeds=list(args.urls), queue=queue, lists=lists, output=stream,
            resolver=resolver, worker=worker, log_level=args.log_level, on_progress=show,
        )
        try:
            result = run_crawl(job)
        except JobMismatch as exc:
            say(str(exc))
            return ExitCode.USAGE
        except (HashingUnavailable, FleetUnavailable) as exc:
            say(str(exc))
            return ExitCode.FAILED
    summary = summarize(result.stats, result.seconds)
    if result.reason == "nothing-to-do":
        say(f"the crawl in {args.job_dir} is finished already")
    for line in summary_lines(summary):
        console.print(line, markup=False, soft_wrap=True, highlight=False)
    if args.stats is not None:
        report = {"reason": result.reason, "summary": summary, "stats": _plain(result.stats)}
        args.stats.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if result.interrupted:
        where = f"; resume with --job-dir {args.job_dir}" if args.job_dir else ""
        say(f"stopped ({result.reason}){where}")
        return INTERRUPTED
    if args.fail_on_match and summary["matches"]:
        return ExitCode.MATCHED
    return ExitCode.DONE


def _plain(stats: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, int | float | str) else str(v) for k, v in stats.items()}


@contextmanager
def _output(path: Path | None, *, append: bool) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with path.open("a" if append else "w", encoding="utf-8", newline="\n") as stream:
        yield stream


@contextmanager
def _progress(console: Console, disabled: bool) -> Iterator[Any]:
    """A one-line live display on standard error when it is a terminal."""
    if disabled or not console.is_terminal:
        yield None
        return
    from rich.live import Live

    started = time.monotonic()
    with Live(console=console, transient=True, refresh_per_second=4) as live:

        def show(stats: Mapping[str, Any]) -> None:
            seconds = time.monotonic() - started
            images = int(stats.get("media/images", 0))
            errors = sum(v for k, v in stats.items() if k.startswith("dropped/"))
            live.update(
                f"crawling: {stats.get('pages/fetched', 0)} pages "
                f"({stats.get('pages/confirmed', 0)} confirmed), "
                f"{stats.get('media/fetched', 0)} media, {images} images "
                f"({images / seconds:.0f}/s), {stats.get('matches', 0)} matches, "
                f"{errors} errors, {seconds:.0f} s"
            )

        yield show
