"""Files go to the hashing workers in groups; every file's future gets its own answer."""

from __future__ import annotations

import hashlib
import os
import signal
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from sentinelle.crawl.hashing_groups import Groups
from sentinelle.crawl.hashing_pool import HashingPool, MatcherSource
from sentinelle.crawl.matcher_source import file_lists
from sentinelle.engine.scan import ScanSettings
from sentinelle.hashing import hash_media
from sentinelle.lists import HashList, ListEntry
from support.pictures import draw_picture, encode

TIMEOUT = 120


def _pool(tmp_path: Path, known: bytes) -> HashingPool:
    hashes = hash_media(known)
    assert hashes.digests is not None
    listed = HashList("benign", [ListEntry("md5", hashes.digests.md5, "csam", "k1")])
    source = file_lists([listed], tmp_path)
    assert isinstance(source, MatcherSource)
    return HashingPool(source, ScanSettings(), workers=1)


def _pictures(count: int) -> list[bytes]:
    return [encode(draw_picture(seed, (96, 72)), "PNG") for seed in range(count)]


def test_a_burst_goes_in_groups_and_each_file_gets_its_own_answer(tmp_path: Path) -> None:
    files = [*_pictures(40), b"<html>not an image</html>"]
    pool = _pool(tmp_path, files[7])
    try:
        pool.warm()
        futures = [pool.submit(data) for data in files]
        answers = [future.result(timeout=TIMEOUT) for future in futures]
    finally:
        pool.shutdown()
    assert [a.sha256 for a in answers] == [hashlib.sha256(d).hexdigest() for d in files]
    assert [bool(a.matches) for a in answers] == [i == 7 for i in range(len(files))]
    assert answers[-1].pdq is None and answers[-1].mime == "text/html"
    assert pool.groups.files == len(files)
    assert pool.groups.groups < len(files) / 2  # grouped, not one round trip per file


def test_a_worker_killed_mid_group_leaves_no_file_without_an_answer(tmp_path: Path) -> None:
    files = _pictures(60)
    pool = _pool(tmp_path, files[0])
    try:
        pool.warm()
        (worker,) = pool._executor._processes  # type: ignore[attr-defined]
        futures = [pool.submit(data) for data in files]
        futures[0].result(timeout=TIMEOUT)  # the first group is being worked on
        os.kill(worker, signal.SIGKILL)
        _, not_done = wait(futures, timeout=TIMEOUT)
        assert not not_done
        late = pool.submit(files[1])  # the pool is broken: refused at once, not lost
        assert isinstance(late.exception(timeout=TIMEOUT), BrokenProcessPool)
    finally:
        pool.shutdown()
    hashed = [f for f in futures if f.exception() is None]
    broken = [f for f in futures if isinstance(f.exception(), BrokenProcessPool)]
    assert len(hashed) + len(broken) == len(files) and broken
    for data, future in zip(files, futures, strict=True):
        if future in hashed:
            assert future.result().sha256 == hashlib.sha256(data).hexdigest()


def _hash_or_fail(source: str, files: list[bytes]) -> list[str | Exception]:
    return [ValueError(d.decode()) if d.startswith(b"bad") else f"{source}:{d.decode()}" for d in files]


def test_groups_split_on_source_and_size_and_isolate_a_failing_file() -> None:
    release = threading.Event()
    sent: list[tuple[str, list[bytes]]] = []
    with ThreadPoolExecutor(1) as executor:

        def send(source: str, files: list[bytes]) -> Future[list[str | Exception]]:
            sent.append((source, files))
            return executor.submit(lambda: (release.wait(TIMEOUT), _hash_or_fail(source, files))[1])

        groups: Groups[str, str] = Groups(send, slots=1, limit=3, max_bytes=9)
        first = groups.submit(b"a", "v1")  # sent at once: the slot was free
        later = [groups.submit(data, source) for data, source in [
            (b"b", "v1"), (b"bad", "v1"), (b"c", "v1"), (b"d", "v1"),  # limit 3: b bad c, then d
            (b"e", "v2"), (b"123456789", "v2"), (b"f", "v2"),  # new source; 9 bytes at most
        ]]  # fmt: skip
        release.set()
        answers = [f.exception(TIMEOUT) or f.result() for f in [first, *later]]
    assert [files for _, files in sent] == [
        [b"a"], [b"b", b"bad", b"c"], [b"d"], [b"e"], [b"123456789"], [b"f"]
    ]
    assert [source for source, _ in sent] == ["v1", "v1", "v1", "v2", "v2", "v2"]
    assert answers[:2] == ["v1:a", "v1:b"] and answers[3:] == ["v1:c", "v1:d", "v2:e", "v2:123456789", "v2:f"]
    assert isinstance(answers[2], ValueError) and str(answers[2]) == "bad"


def test_a_group_that_cannot_be_sent_fails_each_of_its_files() -> None:
    def send(source: str, files: list[bytes]) -> Future[list[str | Exception]]:
        raise BrokenProcessPool("gone")

    groups: Groups[str, str] = Groups(send, slots=1)
    futures = [groups.submit(data, "v1") for data in (b"a", b"b")]
    for future in futures:
        with pytest.raises(BrokenProcessPool):
            future.result(timeout=1)
