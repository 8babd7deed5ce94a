"""Running a scan on several cores, results in input order, with a running summary."""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sentinelle.engine.matcher import Matcher
from sentinelle.engine.scan import FileResult, ScanSettings, scan_file

_WORKER: tuple[Matcher, ScanSettings] | None = None


def _init_worker(matcher: Matcher, settings: ScanSettings) -> None:
    global _WORKER
    _WORKER = (matcher, settings)


def _work(path: Path) -> FileResult:
    assert _WORKER is not None, "worker not initialised"
    return scan_file(path, *_WORKER)


@dataclass
class Summary:
    """What a scan did: counts, matches, errors by kind, and how fast."""

    files: int = 0
    images: int = 0
    bytes: int = 0
    files_matched: int = 0
    matches: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.bytes += result.media.size
        if result.media.pdq is not None:
            self.images += 1
        if result.media.error is not None:
            self.errors[result.media.error.kind] += 1
        if result.matches:
            self.files_matched += 1
            self.matches += len(result.matches)

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def images_per_second(self) -> float:
        return self.images / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "images": self.images,
            "bytes": self.bytes,
            "files_matched": self.files_matched,
            "matches": self.matches,
            "errors": dict(sorted(self.errors.items())),
            "seconds": round(self.seconds, 3),
            "images_per_second": round(self.images_per_second, 1),
        }


def run_scan(
    paths: Iterable[Path], matcher: Matcher, settings: ScanSettings, *, jobs: int = 1
) -> Iterator[FileResult]:
    """Scan ``paths`` on ``jobs`` processes, yielding results in the order of ``paths``.

    Workers are forked after the matcher is built, so they share its indexes
    rather than copying them.
    """
    if jobs <= 1:
        for path in paths:
            yield scan_file(path, matcher, settings)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_init_worker, initargs=(matcher, settings)) as pool:
        yield from pool.imap(_work, paths, chunksize=4)
