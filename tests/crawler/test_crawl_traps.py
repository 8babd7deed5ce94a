"""Starting from every site's home page: only confirmed pages are expanded, and every hostile
case of the trap site ends and is counted with its reason."""

from __future__ import annotations

import time
from pathlib import Path

import crawl_support
from crawl_support import (
    Database,
    SandboxWeb,
    crawl,
    sandbox_args,
)

# pytest fixtures from crawl_support (tests/crawler/conftest.py is not this suite's)
sandbox_web = crawl_support.sandbox_web
sqlite_db = crawl_support.sqlite_db
sqlite_template_dir = crawl_support.sqlite_template_dir


def test_links_are_followed_from_confirmed_pages_only_and_every_trap_ends(
    sandbox_web: SandboxWeb, sqlite_db: Database, tmp_path: Path
) -> None:
    web = sandbox_web
    homes = [site["url"] for site in web.of_type("site")]
    trap = f"http://{web.trap_host}:{web.port}"
    web.reset_hits()
    started = time.monotonic()
    run = crawl(
        sqlite_db, web, tmp_path, *homes, "--list", web.known_list, *sandbox_args(web),
        "--depth", "3", "--max-pages-per-host", "30",
    )
    took = time.monotonic() - started
    assert run.returncode == 0, run.stderr[-3000:]
    assert took < 60
    stats, errors = run.stats, run.summary["errors"]

    # The ordinary home pages show no image: they are not expanded. The trap site's home
    # shows a listed picture: it is confirmed, and its links lead into the traps.
    assert stats["links/not-expanded"] > 0
    ordinary = {p for p in web.ordinary_pages() if not p.endswith(f":{web.port}/")}
    assert not ordinary & set(web.hits)
    assert run.summary["pages_confirmed"] >= 1
    assert stats["links/duplicate"] >= 1  # the ring link to the next site's home, a seed

    # every hostile case ends, with its reason
    assert errors["too-large"] >= 3  # 2 GiB file, 50 MB page, gzip bomb (inflating)
    assert errors["timeout"] >= 1  # slow drip
    assert errors["dataloss"] >= 1  # truncated transfer
    assert errors["redirect-loop"] >= 2  # /loop/a <-> /loop/b, /loop/self
    assert errors["redirect-limit"] >= 1  # /chain/1 -> /chain/2 -> ... forever
    assert stats["media/problem/too-large"] >= 1  # decompression bomb: refused unread
    assert stats["media/problem/corrupt"] >= 1  # truncated file
    assert stats["links/host-limit"] + stats.get("links/depth-limit", 0) > 0  # maze, calendar
    maze = [url for url in web.hits if url.startswith(f"{trap}/maze/")]
    assert 1 < len(maze) <= 30
    trap_pages = [url for url in web.hits if url.startswith(trap) and url.endswith((".html", "/"))]
    assert len(trap_pages) <= 30 + 1  # the cap, and robots.txt is not asked for
    assert stats["retry/count"] >= 1
    assert "egress/refused/loopback" not in stats
