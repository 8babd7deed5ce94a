"""Unknown media next to known media: kept for review, also when the buffer could not hold
their bytes (they are fetched again); robots.txt asked for when told to obey it."""

from __future__ import annotations

from pathlib import Path

import crawl_support
from crawl_support import Database, SandboxWeb, crawl, sandbox_args

# pytest fixtures from crawl_support (tests/crawler/conftest.py is not this suite's)
sandbox_web = crawl_support.sandbox_web
sqlite_db = crawl_support.sqlite_db
sqlite_template_dir = crawl_support.sqlite_template_dir


def test_unknown_media_of_confirmed_pages_are_fetched_again_when_the_buffer_is_full(
    sandbox_web: SandboxWeb, sqlite_db: Database, tmp_path: Path
) -> None:
    web = sandbox_web
    placements = [p for p in web.of_type("placement") if web.trap_host not in p["page"]]
    mixed = sorted(
        page
        for page in {p["page"] for p in placements}
        if {p["expected"] != "none" for p in placements if p["page"] == page} == {True, False}
        and all(p["final"] for p in placements if p["page"] == page)
    )[:5]
    assert mixed
    unknown = {p["final"] for p in placements if p["page"] in mixed and p["expected"] == "none"}
    web.reset_hits()
    run = crawl(
        sqlite_db, web, tmp_path, *mixed, "--list", web.known_list, "--depth", "0",
        "--review-buffer", "0", "--robots", "obey", *sandbox_args(web),
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stats["review/over-budget"] == len(unknown)
    assert run.stats["review/refetched"] == len(unknown)
    assert run.stats["review/stored"] == len(unknown)
    assert all(web.hits[url] == 2 for url in unknown)  # hashed, then fetched again for review
    kept = sqlite_db.query(
        "SELECT s.url FROM review_reviewmedia r JOIN sightings_sighting s ON s.media_id = r.media_id"
    )
    assert {url for (url,) in kept} == unknown
    hosts = {url.split("/")[2] for url in mixed}
    assert {f"http://{host}/robots.txt" for host in hosts} <= set(web.hits)
