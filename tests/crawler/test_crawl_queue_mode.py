"""``sentinelle crawl --queue``: queued crawl requests claimed, crawled, finished or failed,
matched against the enabled stored lists. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import crawl_support
from crawl_support import (
    Database,
    SandboxWeb,
    crawl,
    sandbox_args,
)

# pytest fixtures from crawl_support (tests/crawler/conftest.py is not this suite's)
database = crawl_support.database
postgres_template = crawl_support.postgres_template
sandbox_web = crawl_support.sandbox_web
sqlite_template_dir = crawl_support.sqlite_template_dir


def _import_list(db: Database, path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sentinelle", "lists", "import", str(path), "--name", "sandbox-known"],
        env=db.env(), capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_queued_requests_are_crawled_then_finished_or_failed(
    sandbox_web: SandboxWeb, database: Database, tmp_path: Path
) -> None:
    web = sandbox_web
    _import_list(database, web.known_list)
    placements = [p for p in web.of_type("placement") if web.trap_host not in p["page"]]
    pages = sorted({p["page"] for p in placements if p["expected"] != "none"})[:4]
    gone = f"http://{web.of_type('site')[0]['host']}:{web.port}/no-such-page.html"
    refused = "http://127.0.0.1:6379/"
    urls = [*pages, gone, refused]
    ids = json.loads(
        database.python(
            "import json\n"
            "from sentinelle.audit.services import Actor\n"
            "from sentinelle.crawl.services import request_crawl\n"
            f"made = [request_crawl(u, source='report', actor=Actor.user('tipline'))[0].pk "
            f"for u in {json.dumps(urls)}]\n"
            "print(json.dumps(made))\n"
        )
    )
    run = crawl(
        database, web, tmp_path, "--queue", "--until-empty", "--batch", "2",
        "--worker", "crawler-test", "--depth", "0", *sandbox_args(web),
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stats["queue/claimed"] == len(urls)

    status = dict(database.query("SELECT url, status FROM crawl_crawlrequest"))
    assert {status[url] for url in pages} == {"done"}
    assert status[gone] == "done"  # the page answered: it is gone
    assert status[refused] == "failed"  # refused by the egress guard: never retried
    errors = dict(database.query("SELECT url, last_error FROM crawl_crawlrequest"))
    assert "egress-refused" in errors[refused]

    # sightings belong to their request, with its run label; matches link the stored hashes
    rows = database.query(
        "SELECT s.crawl_request_id, s.run, p.url FROM sightings_sighting s "
        "JOIN sightings_page p ON p.id = s.page_id"
    )
    assert {page for *_, page in rows} == set(pages)
    by_url = dict(zip(urls, ids, strict=True))
    assert all(run_label == f"{request}:1" for request, run_label, _ in rows)
    assert all(request == by_url[page] for request, _, page in rows)
    expected = {
        (p["final"] or p["page"], p["list_id"])
        for p in placements
        if p["page"] in pages and p["expected"] != "none"
    }
    assert run.matches() == expected
    unlinked = database.query("SELECT count(*) FROM sightings_match WHERE known_hash_id IS NULL")
    assert unlinked == [(0,)]
    claimed = database.query("SELECT DISTINCT claimed_by FROM crawl_crawlrequest")
    assert claimed == [("crawler-test",)]
