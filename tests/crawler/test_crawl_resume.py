"""Stopped with Ctrl-C, then killed with SIGKILL, then run to the end with the same job
folder, a crawl records exactly the sightings an uninterrupted crawl records, none twice."""

from __future__ import annotations

import time
from pathlib import Path

import crawl_support
import psutil
from crawl_support import (
    INTERRUPT,
    KILL,
    SandboxWeb,
    crawl,
    read_lines,
    sandbox_args,
    sqlite_database,
    start_crawl,
    stop,
    wait_for_lines,
)

# pytest fixtures from crawl_support (tests/crawler/conftest.py is not this suite's)
sandbox_web = crawl_support.sandbox_web
sqlite_template_dir = crawl_support.sqlite_template_dir

#: Slow enough to be stopped half way: one request at a time per host, 0.2 s apart.
SLOW = ("--per-host", "1", "--delay", "0.2")


def _gone(pids: list[int], timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not [pid for pid in pids if psutil.pid_exists(pid) and _alive(pid)]:
            return True
        time.sleep(0.1)
    return False


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_crawl_interrupted_then_killed_resumes_and_records_each_sighting_once(
    sandbox_web: SandboxWeb, sqlite_template_dir: Path, tmp_path: Path
) -> None:
    web = sandbox_web
    seeds = web.ordinary_pages()
    lists = ("--list", web.known_list)

    reference_db = sqlite_database(sqlite_template_dir, tmp_path / "reference-db")
    reference = crawl(reference_db, web, tmp_path / "reference", *seeds, *lists, *sandbox_args(web))
    assert reference.returncode == 0, reference.stderr[-3000:]
    expected = {(sha, url, page) for sha, url, page, _ in reference_db.sightings()}

    db = sqlite_database(sqlite_template_dir, tmp_path / "db")
    job, output = tmp_path / "job", tmp_path / "output.jsonl"
    args = [*seeds, *lists, *sandbox_args(web), *SLOW, "--job-dir", job, "--output", output]

    # 1. Ctrl-C half way: a clean stop, exit 130, resumable
    first = start_crawl(db, web, *args)
    wait_for_lines(output, 15, first)
    code, stderr = stop(first, INTERRUPT)
    assert code == 130, stderr[-3000:]
    assert "resume with --job-dir" in stderr
    after_first = len(read_lines(output))
    assert 15 <= after_first < len(expected)

    # 2. SIGKILL half way through the rest: no chance to clean up
    second = start_crawl(db, web, *args)
    wait_for_lines(output, after_first + 15, second)
    workers = [child.pid for child in psutil.Process(second.pid).children(recursive=True)]
    assert workers  # the hashing pool
    code, _ = stop(second, KILL)
    assert code == -9
    assert _gone(workers), "hashing workers outlived their crawler"

    # 3. run to the end
    last = crawl(db, web, tmp_path / "last", *args[:-2])
    assert last.returncode == 0, last.stderr[-3000:]
    assert last.stats["pages/replayed"] > 0

    rows = db.sightings()
    assert len(rows) == len(set(rows))  # nothing recorded twice
    assert len({run for *_, run in rows}) == 1  # one run label across the three processes
    assert {(sha, url, page) for sha, url, page, _ in rows} == expected
    assert len(rows) == len(expected)
    # pages were confirmed and media kept for review as in the uninterrupted crawl
    confirmed = "SELECT url FROM sightings_page WHERE confirmed ORDER BY url"
    assert db.query(confirmed) == reference_db.query(confirmed)
    kept = "SELECT m.sha256 FROM review_reviewmedia r JOIN sightings_media m ON m.id = r.media_id"
    assert sorted(db.query(kept)) == sorted(reference_db.query(kept))


def test_a_killed_queue_worker_resumes_its_claimed_requests_with_the_same_run(
    sandbox_web: SandboxWeb, sqlite_template_dir: Path, tmp_path: Path
) -> None:
    web = sandbox_web
    db = sqlite_database(sqlite_template_dir, tmp_path / "db")
    pages = web.ordinary_pages()[:12]
    db.python(
        "from sentinelle.audit.services import Actor\n"
        "from sentinelle.crawl.services import request_crawl\n"
        f"for url in {pages!r}:\n"
        "    request_crawl(url, source='partner', actor=Actor.partner('feed'))\n"
    )
    job, output = tmp_path / "job", tmp_path / "output.jsonl"
    args = [
        "--queue", "--until-empty", "--batch", "12", "--worker", "crawler-7", "--depth", "0",
        "--list", web.known_list, *sandbox_args(web), *SLOW, "--job-dir", job,
    ]
    first = start_crawl(db, web, *args, "--output", output)
    wait_for_lines(output, 6, first)
    code, _ = stop(first, KILL)
    assert code == -9
    running = db.query("SELECT count(*) FROM crawl_crawlrequest WHERE status = 'running'")
    assert running[0][0] > 0  # claimed by the dead worker

    last = crawl(db, web, tmp_path / "last", *args)
    assert last.returncode == 0, last.stderr[-3000:]
    assert last.stats["queue/resumed"] > 0
    assert db.query("SELECT DISTINCT status, attempts FROM crawl_crawlrequest") == [("done", 1)]
    rows = db.sightings()
    assert len(rows) == len(set(rows))
    assert {page for _, _, page, _ in rows} == set(pages) - {p for p in pages if not _shows_media(web, p)}
    runs = {run for *_, run in rows}
    assert all(run.endswith(":1") for run in runs)


def _shows_media(web: SandboxWeb, page: str) -> bool:
    return any(p["page"] == page for p in web.of_type("placement"))
