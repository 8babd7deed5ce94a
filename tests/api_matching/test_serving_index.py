"""The serving index: built from the lists, memory-mapped, swapped on change, rebuilt when damaged."""

from __future__ import annotations

import mmap
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from api_matching_support import pdq_of, picture, standard_lists, store
from django_tasks_db.models import DBTaskResult

from sentinelle.banks import serving
from sentinelle.banks.index import generation
from sentinelle.banks.services import load_lists
from sentinelle.banks.serving import ServingIndex, build, current_folder, readiness
from sentinelle.banks.serving_schedule import ServingIndexRebuild
from sentinelle.clock import current
from sentinelle.engine.matcher import Matcher
from sentinelle.engine.scan import ScanSettings, scan_bytes
from sentinelle.hashing import digests
from sentinelle.lists import ListEntry
from support.pictures import flip_bits

pytestmark = pytest.mark.django_db


def _mapped(array: Any) -> bool:
    """Whether ``array`` is a view of a memory-mapped file."""
    base = array
    while isinstance(base, np.ndarray):
        base = base.base
    return isinstance(base, memoryview) and isinstance(base.obj, mmap.mmap)


def test_the_index_is_built_memory_mapped_and_gives_the_engines_verdicts(serving_root: Path) -> None:
    pictures = standard_lists()
    index = ServingIndex(serving_root, check_every=0)
    served = index.matcher()
    assert served.generation == generation() and len(served) == 5
    assert all(_mapped(a) for a in (served.table.list_code, served.table.keys["pdq"], served.near._main.words,
                                    served.near._main.postings, served.exact["md5"]._main.keys))
    engine = Matcher(load_lists())
    for data in pictures.values():
        for settings in (ScanSettings(fast=True), ScanSettings(fast=False)):
            assert scan_bytes(data, served, settings)[1] == scan_bytes(data, engine, settings)[1]
    assert [e for e in served.entries] == list(engine.entries)


def test_a_list_change_is_swapped_in_while_a_request_keeps_the_old_matcher(serving_root: Path) -> None:
    standard_lists()
    index = ServingIndex(serving_root, check_every=0)
    old = index.matcher()
    late = picture(9)
    holding, swapped = threading.Event(), threading.Event()
    answers: list[int] = []

    def request() -> None:
        held = index.matcher()
        holding.set()
        swapped.wait(10)
        answers.append(len(scan_bytes(late, held, ScanSettings())[1]))  # still answers after the swap

    worker = threading.Thread(target=request)
    worker.start()
    holding.wait(10)
    store("late", [ListEntry("pdq", pdq_of(late))])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SENTINELLE_API_INDEX_GRACE_SECONDS", "0")  # the old folder is deleted at once
        build(serving_root)
    new = index.matcher()
    swapped.set()
    worker.join(10)
    assert answers == [0] and new is not old and new.generation == generation() != old.generation
    assert [m.list for m in scan_bytes(late, new, ScanSettings())[1]] == ["late"]
    assert [p.name for p in serving_root.iterdir() if p.name.startswith("gen-")] == [current_folder(serving_root).name]


def test_a_thread_never_waits_for_another_threads_swap(serving_root: Path) -> None:
    standard_lists()
    index = ServingIndex(serving_root, check_every=0)
    old = index.matcher()
    store("late", [ListEntry("md5", digests(b"late").md5)])
    build(serving_root)
    with index._lock:  # another thread is loading the new generation
        assert index.matcher() is old
    assert index.matcher() is not old


def test_readiness_follows_the_lists(serving_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_API_INDEX_GRACE_SECONDS", "0")
    standard_lists()
    assert not (serving_root / "CURRENT").exists()
    ready, details = readiness()  # nothing built yet: this process builds it (embedded default)
    assert ready and details["index"]["current"] and details["index"]["entries"] == 5  # type: ignore[index]
    store("late", [ListEntry("md5", digests(b"late").md5)])
    ready, details = readiness()
    assert not ready and details["index"]["current"] is False  # type: ignore[index]
    ServingIndexRebuild().enqueue_due(current().now(), 10)
    build()  # what the enqueued task runs
    ready, details = readiness()
    assert ready and details["index"]["generation"] == generation()  # type: ignore[index]


def test_within_the_grace_period_a_stale_index_is_still_ready(serving_root: Path) -> None:
    standard_lists()
    assert readiness()[0]
    store("late", [ListEntry("md5", digests(b"late").md5)])
    ready, details = readiness()
    assert ready and details["index"]["current"] is False  # type: ignore[index]


def test_a_damaged_index_file_is_rebuilt(serving_root: Path) -> None:
    pictures = standard_lists()
    build(serving_root)
    damaged = current_folder(serving_root)
    assert damaged is not None
    with (damaged / "pdq.sntl").open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\xff\x00\xff")
    served = ServingIndex(serving_root).matcher()
    assert current_folder(serving_root) != damaged
    assert [m.list for m in scan_bytes(pictures["near"], served, ScanSettings())[1]] == ["unverified", "verified-csam"]


def test_the_worker_enqueues_one_rebuild_per_new_generation(serving_root: Path) -> None:
    standard_lists()
    source = ServingIndexRebuild()
    assert source.enqueue_due(current().now(), 10) == 0  # never built: left to the first request
    build()
    assert source.enqueue_due(current().now(), 10) == 0  # current
    store("late", [ListEntry("md5", digests(b"late").md5)])
    assert source.enqueue_due(current().now(), 10) == 1
    assert source.enqueue_due(current().now(), 10) == 0  # already asked for
    assert DBTaskResult.objects.filter(task_path="sentinelle.banks.tasks.rebuild_serving_index").count() == 1


def test_pdq_lookups_apply_each_lists_threshold() -> None:
    base = pdq_of(picture(7))
    store("tight", [ListEntry("pdq", base)], threshold=4)
    store("loose", [ListEntry("pdq", base)], threshold=40)
    served = serving.default_index().matcher()
    keys = np.frombuffer(bytes.fromhex(flip_bits(base, 10) + flip_bits(base, 3)), np.uint8).reshape(2, 32)
    found = served.lookup("pdq", keys, lambda info, category: True)
    assert [[(m.list, m.distance) for m in q] for q in found] == [[("loose", 10)], [("loose", 3), ("tight", 3)]]


def test_a_superseded_folder_is_kept_for_the_grace_period(serving_root: Path) -> None:
    standard_lists()
    build(serving_root)
    first = current_folder(serving_root)
    store("late", [ListEntry("md5", digests(b"late").md5)])
    build(serving_root)
    assert first is not None and first.is_dir() and current_folder(serving_root) != first
    assert build(serving_root) == generation()  # already current: nothing rebuilt
    assert len([p for p in serving_root.iterdir() if p.name.startswith("gen-")]) == 2
