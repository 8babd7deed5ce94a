"""Progress on a terminal, and the end-of-run summary on standard error."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Ticker(Protocol):
    def __call__(self, advance: int = 1, rate: str = "") -> None: ...


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


@contextmanager
def progress(total: int, label: str, *, enabled: bool | None = None) -> Iterator[Ticker]:
    """A progress bar on standard error when it is a terminal; silent otherwise."""
    show = sys.stderr.isatty() if enabled is None else enabled
    if not show:
        yield lambda advance=1, rate="": None
        return
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=stderr_console(),
        transient=True,
    )
    with bar:
        task = bar.add_task(label, total=total, rate="")

        def tick(advance: int = 1, rate: str = "") -> None:
            bar.update(task, advance=advance, rate=rate)

        yield tick
