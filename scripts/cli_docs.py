"""Generate docs/cli.md from the command's own --help (``--check``: fail if it is stale)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sentinelle.cli.main import build_parser

TARGET = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def render() -> str:
    os.environ["COLUMNS"] = "100"
    parser = build_parser()
    parts = [
        "# Command-line reference\n",
        "Generated from `--help` by `python scripts/cli_docs.py`; a test fails when it is stale.\n",
        "Machine-readable output is JSON Lines (one object per file). Exit codes: 0 done; "
        "1 something matched and `--fail-on-match` was given; 2 usage error; 3 nothing could "
        "be done (unreadable list...). Per-file problems are in the output, not the exit code.\n",
        "## sentinelle\n",
        "```\n" + parser.format_help() + "```\n",
    ]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                parts.append(f"## sentinelle {name}\n")
                parts.append("```\n" + sub.format_help() + "```\n")
    return "\n".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET} is stale: run python scripts/cli_docs.py")
            return 1
        return 0
    TARGET.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
