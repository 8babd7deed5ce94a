"""``sentinelle scan``: hash every file, match against lists, one JSON object per file."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from rich.console import Console

from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.lists import ListLoadError, load_lists
from sentinelle.cli.options import add_limit_options, limits_from
from sentinelle.cli.output import json_lines, write_object
from sentinelle.cli.progress import progress, stderr_console
from sentinelle.engine.files import walk
from sentinelle.engine.matcher import Matcher
from sentinelle.engine.runner import Summary, run_scan
from sentinelle.engine.scan import DEFAULT_DRIFT_MARGIN, ScanSettings
from sentinelle.hashing import FastSettings


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "scan",
        help="hash files and folders and match them against hash lists",
        description=(
            "Hash every file under PATH (folders are walked) on all cores, match each "
            "against the lists, and write one JSON object per file. A summary goes to "
            "standard error."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to scan")
    parser.add_argument(
        "--list", dest="lists", action="extend", nargs="+", default=[], metavar="FILE",
        help="hash list file (.csv, .jsonl or .txt); may be repeated",
    )
    parser.add_argument(
        "--signal-type", choices=("pdq", "md5", "sha1", "sha256"),
        help="signal type of plain-text lists (one hash per line)",
    )
    parser.add_argument(
        "--threshold", type=int, metavar="N",
        help="PDQ match threshold for every list (default: 31, the reference's)",
    )
    parser.add_argument("--output", type=Path, metavar="FILE", help="write JSON Lines here, not to stdout")
    parser.add_argument(
        "--jobs", type=int, default=None, metavar="N",
        help="processes hashing in parallel (default: one per core)",
    )
    parser.add_argument("--fail-on-match", action="store_true", help="exit with 1 when anything matched")
    parser.add_argument(
        "--reference", action="store_true",
        help="hash every image on the reference path (slower; the default screens with the fast path "
        "and confirms candidates on the reference path)",
    )
    parser.add_argument(
        "--no-dihedral", dest="dihedral", action="store_false",
        help="do not match rotated and mirrored copies",
    )
    parser.add_argument(
        "--drift-margin", type=int, default=DEFAULT_DRIFT_MARGIN, metavar="BITS",
        help="extra distance at which the fast path sends a file for confirmation (default: %(default)s)",
    )
    parser.add_argument(
        "--min-side", type=int, default=FastSettings().min_side, metavar="PX",
        help="fast path: shortest side JPEG DCT scaling may decode to (default: %(default)s)",
    )
    add_limit_options(parser)
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    console = stderr_console()
    jobs = args.jobs if args.jobs is not None else os.cpu_count() or 1
    if jobs < 1 or args.drift_margin < 0 or args.min_side < 1:
        console.print("sentinelle scan: --jobs, --min-side must be >= 1 and --drift-margin >= 0")
        return ExitCode.USAGE
    if not args.lists:
        console.print("sentinelle scan: give at least one --list")
        return ExitCode.USAGE
    try:
        lists = load_lists(args.lists, signal_type=args.signal_type, threshold=args.threshold)
    except ListLoadError as exc:
        console.print(f"sentinelle scan: {exc}", markup=False, soft_wrap=True)
        return ExitCode.USAGE if exc.usage else ExitCode.FAILED
    matcher = Matcher(lists)
    settings = ScanSettings(
        fast=not args.reference,
        dihedral=args.dihedral,
        drift_margin=args.drift_margin,
        limits=limits_from(args),
        fast_settings=FastSettings(min_side=args.min_side),
    )
    paths = list(walk(args.paths))
    summary = Summary()
    with json_lines(args.output) as stream, progress(
        len(paths), "scanning", enabled=False if args.no_progress else None
    ) as tick:
        for result in run_scan(paths, matcher, settings, jobs=min(jobs, max(1, len(paths)))):
            write_object(stream, result.as_dict())
            summary.add(result)
            tick(rate=f"{summary.images_per_second:.0f} images/s")
    summary.finished = time.monotonic()
    report(console, summary, len(matcher))
    if args.fail_on_match and summary.matches:
        return ExitCode.MATCHED
    return ExitCode.DONE


def report(console: Console, summary: Summary, listed: int) -> None:
    errors = ", ".join(f"{kind} {count}" for kind, count in sorted(summary.errors.items())) or "none"
    console.print(
        f"scanned {summary.files} files ({summary.images} images, {summary.bytes / 1e6:.1f} MB) "
        f"in {summary.seconds:.1f} s, {summary.images_per_second:.1f} images/s, against {listed} listed hashes",
        markup=False,
        soft_wrap=True,
    )
    console.print(
        f"matched: {summary.files_matched} files ({summary.matches} matches); errors: {errors}",
        markup=False,
        soft_wrap=True,
    )
