"""``sentinelle hash``: print each file's hashes, one JSON object per file."""

from __future__ import annotations

import argparse
from pathlib import Path

from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.options import add_limit_options, limits_from
from sentinelle.cli.output import json_lines, write_object
from sentinelle.engine.files import walk
from sentinelle.engine.scan import FileResult, read_media
from sentinelle.hashing import hash_media


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "hash",
        help="print the hashes of files",
        description=(
            "Print MD5, SHA-1, SHA-256 and PDQ (with quality) of each file, one JSON object "
            "per file, with the same field names as scan. PDQ comes from the reference path "
            "(Pillow + Meta's code) unless --fast is given."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="FILE", help="files or folders")
    parser.add_argument("--fast", action="store_true", help="show the fast path's PDQ instead")
    parser.add_argument(
        "--dihedral", action="store_true",
        help="add the PDQ of the picture rotated and mirrored (eight variants)",
    )
    parser.add_argument("--output", type=Path, metavar="FILE", help="write JSON Lines here, not to stdout")
    add_limit_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    limits = limits_from(args)
    with json_lines(args.output) as stream:
        for path in walk(args.paths):
            data, problem = read_media(path, limits)
            if data is None:
                result = FileResult(str(path), problem, [])
            else:
                media = hash_media(data, fast=args.fast, dihedral=args.dihedral, limits=limits)
                result = FileResult(str(path), media, [])
            record = result.as_dict()
            del record["matches"]
            if args.dihedral:
                pdq = result.media.pdq
                record["dihedral"] = {k.value: v for k, v in pdq.variants().items()} if pdq else None
            write_object(stream, record)
    return ExitCode.DONE
