"""Hashing and matching off the reactor: a process pool on every core.

Downloads run in the reactor's thread; decoding and hashing an image costs milliseconds of
CPU, which would stall every download if done there. :class:`HashingPool` is a
``concurrent.futures.ProcessPoolExecutor``: the pipeline submits the bytes and awaits the
future (``asyncio.wrap_future`` on the reactor's asyncio loop), so the reactor keeps
downloading while the workers hash.

Each worker loads the matcher once, from a folder written by :func:`sentinelle.engine.store
.save_matcher` (the stored lists' index folder, or one written for ``--list`` files), and
reloads it only when a task names another generation. A worker runs
:func:`sentinelle.engine.scan.scan_bytes` (digests, fast PDQ with its dihedral variants,
candidates confirmed on the reference path), sniffs the type and reads the dimensions from
the header: plain values come back, never the decoded pixels.

This module imports no Django and no Scrapy: the workers are started with ``spawn`` and
import only the engine.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sentinelle.crawl.hashing_groups import Groups
from sentinelle.engine.matcher import Match, Matcher
from sentinelle.engine.scan import ScanSettings, scan_bytes
from sentinelle.engine.store import load_matcher
from sentinelle.hashing import MediaError, MediaProblem, PdqHash
from sentinelle.hashing.decode import open_image
from sentinelle.sightings.sniff import sniff_mime


@dataclass(frozen=True)
class MatcherSource:
    """Where the workers load the matcher from, and which generation it must be."""

    folder: Path
    generation: str


@dataclass(frozen=True)
class HashedMedia:
    """What a worker found out about one file (no bytes, no pixels)."""

    size: int
    sha256: str
    md5: str
    sha1: str
    mime: str
    width: int | None
    height: int | None
    pdq: PdqHash | None
    problem: MediaProblem | None
    #: Exact digest matches and near matches confirmed on the reference path.
    matches: tuple[Match, ...]


_WORKER: dict[str, object] = {}
#: How often a worker checks that the crawler that started it is still there.
PARENT_CHECK_SECONDS = 0.5


def _initialize(source: MatcherSource, settings: ScanSettings) -> None:
    # Ctrl-C reaches the whole process group: the crawler stops cleanly and still needs
    # the workers to finish what they hold, so they leave SIGINT to it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent(os.getppid())
    _WORKER["settings"] = settings
    _load(source)


def _watch_parent(parent: int) -> None:
    """Exit when the crawler is gone. A crawler killed with SIGKILL cannot stop its pool,
    and the task queue's pipe never reports the end (every worker holds its writing end
    too), so without this the workers would wait for work forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="sentinelle-parent-watch", daemon=True).start()


def _load(source: MatcherSource) -> Matcher:
    matcher = load_matcher(source.folder)
    _WORKER["matcher"] = matcher
    _WORKER["generation"] = source.generation
    return matcher


def _matcher(source: MatcherSource) -> Matcher:
    matcher = _WORKER.get("matcher")
    if isinstance(matcher, Matcher) and _WORKER.get("generation") == source.generation:
        return matcher
    return _load(source)


def hash_bytes(data: bytes, matcher: Matcher, settings: ScanSettings) -> HashedMedia:
    """Hash and match ``data`` (what a worker does; usable in-process too)."""
    media, matches = scan_bytes(data, matcher, settings)
    sums = media.digests
    assert sums is not None, "scan_bytes computes the digests of any bytes"
    width: int | None = None
    height: int | None = None
    try:
        with open_image(data, settings.limits) as image:
            width, height = (int(side) for side in image.size)
    except MediaError:
        pass
    return HashedMedia(
        size=len(data),
        sha256=sums.sha256,
        md5=sums.md5,
        sha1=sums.sha1,
        mime=sniff_mime(data),
        width=width,
        height=height,
        pdq=media.pdq,
        problem=media.error,
        matches=tuple(matches),
    )


def _work(files: list[bytes], source: MatcherSource) -> list[HashedMedia | Exception]:
    """One group: each file's answer, or the exception hashing it raised, in order."""
    settings = _WORKER["settings"]
    assert isinstance(settings, ScanSettings), "worker not initialised"
    matcher = _matcher(source)
    answers: list[HashedMedia | Exception] = []
    for data in files:
        try:
            answers.append(hash_bytes(data, matcher, settings))
        except Exception as error:  # this file's alone; the group goes on
            answers.append(error)
    return answers


class HashingPool:
    """``workers`` processes hashing and matching; :meth:`submit` returns a future.

    Files go to the workers in groups (:mod:`.hashing_groups`): at most two groups per
    worker are out; files submitted meanwhile go together in the next one.
    """

    def __init__(self, source: MatcherSource, settings: ScanSettings, workers: int) -> None:
        self.source = source
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_initialize,
            initargs=(source, settings),
        )
        self.groups: Groups[MatcherSource, HashedMedia] = Groups(self._send, slots=2 * workers)

    def submit(self, data: bytes) -> Future[HashedMedia]:
        """Hash and match ``data`` with the current matcher; the future holds the answer,
        the exception hashing raised, or ``BrokenProcessPool`` if a worker died."""
        return self.groups.submit(data, self.source)

    def _send(self, source: MatcherSource, files: list[bytes]) -> Future[list[HashedMedia | Exception]]:
        return self._executor.submit(_work, files, source)

    def use(self, source: MatcherSource) -> None:
        """Tasks submitted from now on use the matcher of ``source`` (the lists changed)."""
        self.source = source

    def warm(self) -> None:
        """Start every worker now (and load its matcher), not on the first image."""
        for future in [self._executor.submit(_ready) for _ in range(self.workers)]:
            future.result()

    def shutdown(self) -> None:
        self.groups.cancel_waiting()
        self._executor.shutdown(wait=True, cancel_futures=True)
        self.groups.cancel_waiting()  # any a returning group sent meanwhile failed to send


def _ready() -> bool:
    return "matcher" in _WORKER
