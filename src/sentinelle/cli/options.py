"""Options shared by the commands that read media."""

from __future__ import annotations

import argparse

from sentinelle.hashing import DecodeLimits

_DEFAULTS = DecodeLimits()


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-bytes", type=int, default=_DEFAULTS.max_bytes, metavar="N",
        help="skip files larger than this, reported as too-large (default: %(default)s)",
    )
    parser.add_argument(
        "--max-pixels", type=int, default=_DEFAULTS.max_pixels, metavar="N",
        help="refuse images with more pixels, checked before decoding (default: %(default)s)",
    )


def limits_from(args: argparse.Namespace) -> DecodeLimits:
    return DecodeLimits(max_bytes=args.max_bytes, max_pixels=args.max_pixels)
