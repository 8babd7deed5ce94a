"""What the crawler refuses: addresses the egress guard refuses, and whatever the do-not-act
list names (a hash, a URL, a host), counted, and never recorded."""

from __future__ import annotations

import hashlib
import json
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


def _sha256(web: SandboxWeb, media_id: int) -> str:
    return hashlib.sha256(web.sandbox.images.bytes_of(media_id)).hexdigest()


def test_refused_addresses_and_do_not_act_entries_are_counted_and_never_recorded(
    sandbox_web: SandboxWeb, sqlite_db: Database, tmp_path: Path
) -> None:
    web = sandbox_web
    placements = [p for p in web.of_type("placement") if web.trap_host not in p["page"]]
    copy = next(p for p in placements if p["kind"] == "known-copy" and p["final"])
    blocked_hash = _sha256(web, copy["media"])
    pages = web.ordinary_pages()
    blocked_page = next(p for p in pages if p != copy["page"] and "/img-src/" in p)
    sites = [s["host"] for s in web.of_type("site") if s["role"] == "ordinary"]
    blocked_host = next(h for h in sites if h not in copy["page"] and h not in blocked_page)
    entries = [("hash", blocked_hash, "sha256"), ("url", blocked_page, ""), ("host", blocked_host, "")]
    sqlite_db.python(
        "from sentinelle.audit.services import Actor\n"
        "from sentinelle.donotact.services import add\n"
        f"for kind, value, signal in {json.dumps(entries)}:\n"
        "    add(kind, value, reason='test: never act', actor=Actor.user('test'), hash_type=signal)\n"
    )
    refused = [
        "http://127.0.0.1:6379/",
        f"http://127.64.1.10:{web.port + 1}/",
        "http://169.254.169.254/latest/meta-data/",
    ]
    web.reset_hits()
    run = crawl(
        sqlite_db, web, tmp_path, *pages, *refused, "--list", web.known_list, *sandbox_args(web)
    )
    assert run.returncode == 0, run.stderr[-3000:]
    stats = run.stats

    assert stats["egress/refused/loopback"] == 2
    assert stats["egress/refused/metadata"] == 1
    assert run.summary["errors"]["egress-refused"] == 3
    assert run.summary["egress_refused"] == {"loopback": 2, "metadata": 1}

    assert stats["donotact/url"] >= 2  # the page, and everything on the blocked host
    assert stats["donotact/hash/sha256"] >= 1
    assert run.summary["donotact"] == stats["donotact/url"] + stats["donotact/hash/sha256"]
    assert not [url for url in web.hits if blocked_host in url or url == blocked_page]
    recorded = sqlite_db.sightings()
    assert not [row for row in recorded if row[0] == blocked_hash]
    assert not [row for row in recorded if blocked_host in row[1] or blocked_page == row[2]]
    assert not [o for o in run.output if o["sha256"] == blocked_hash]
    # everything else is still found
    assert run.matches()
    assert len(recorded) > len(placements) // 2
