"""The crawl command against the sandbox web finds exactly what the manifest says, once.

Seeds: every page of the ordinary sandbox sites (what a partner's URL feed would hand over).
Run on SQLite and again on PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
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


def test_crawl_finds_exactly_the_manifest_matches_and_fetches_each_url_once(
    sandbox_web: SandboxWeb, database: Database, tmp_path: Path
) -> None:
    web = sandbox_web
    seeds = web.ordinary_pages()
    web.reset_hits()
    run = crawl(database, web, tmp_path, *seeds, "--list", web.known_list, *sandbox_args(web))
    assert run.returncode == 0, run.stderr[-3000:]

    # exactly the expected (media URL, list entry) pairs: every copy and variant, no distractor
    assert run.matches() == web.expected_matches()
    transforms = {m["transform"] for o in run.output for m in o["matches"] if m["signal_type"] == "pdq"}
    assert {"rotate90", "rotate180", "rotate270"} & transforms, transforms
    assert {"flipx", "flipy"} & transforms, transforms
    distractors = {
        m["id"]: m for m in web.of_type("media") if m["expected"] == "none"
    }
    assert distractors
    assert not any(o["matches"] and o["sha256"] is None for o in run.output)

    # one sighting per (media, URL, page) placement, each recorded once in the database
    placements = {
        (p["final"] or p["page"], p["page"]) for p in web.of_type("placement") if web.trap_host not in p["page"]
    }
    sighted = Counter((o["url"], o["page"]) for o in run.output)
    assert set(sighted) == placements
    assert max(sighted.values()) == 1
    rows = database.sightings()
    assert len(rows) == len(set(rows)) == len(run.output)
    assert {(url, page) for _, url, page, _ in rows} == placements

    # each page and each media URL fetched once, although pages share media
    fetched = Counter({url: n for url, n in web.hits.items()})
    assert max(fetched.values()) == 1, fetched.most_common(3)
    assert run.stats["media/reused"] > 0

    # matched pages are confirmed; their unknown media are kept for review, never the known
    confirmed = database.query("SELECT count(*) FROM sightings_page WHERE confirmed")[0][0]
    assert confirmed == run.summary["pages_confirmed"] > 0
    kept = database.query(
        "SELECT count(*) FROM review_reviewmedia r JOIN sightings_media m ON m.id = r.media_id "
        "WHERE EXISTS (SELECT 1 FROM sightings_sighting s JOIN sightings_match x "
        "ON x.sighting_id = s.id WHERE s.media_id = m.id)"
    )[0][0]
    assert kept == 0
    assert run.stats["review/stored"] > 0
    assert run.summary["errors"] == {}
    assert "crawled" in run.stderr and "images/s" in run.stderr
    # page visits and files were written in batches (one transaction each), none left out
    assert 0 < run.stats["database/batches"] < run.stats["database/records"]
    assert run.stats["database/records"] >= run.stats["pages/fetched"] + run.stats["media/hashed"]
