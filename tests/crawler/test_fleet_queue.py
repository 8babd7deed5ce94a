"""``sentinelle crawl --queue`` in two fleet members on PostgreSQL: each queued crawl request is
taken by exactly one member and crawled by it alone; everything is recorded once.

Needs the PostgreSQL and the Redis at 127.0.0.1 (skipped without them, failed under CI=true).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import crawl_support
import fleet_support
from crawl_support import Database, PostgresTemplate
from fleet_support import STEERED, SteeredWeb, finish, hosts_file, known_list, member, redis_client

# pytest fixtures from the support modules
postgres_template = crawl_support.postgres_template
redis_prefix = fleet_support.redis_prefix
steered_web = fleet_support.steered_web


def _queue(db: Database, urls: list[str]) -> dict[str, int]:
    made = db.python(
        "import json\n"
        "from sentinelle.audit.services import Actor\n"
        "from sentinelle.crawl.services import request_crawl\n"
        f"print(json.dumps({{u: request_crawl(u, source='report', actor=Actor.user('tipline'))[0].pk "
        f"for u in {json.dumps(urls)}}}))\n"
    )
    return {url: int(pk) for url, pk in json.loads(made).items()}


def test_queued_requests_are_shared_out_between_fleet_members(
    steered_web: SteeredWeb, postgres_template: PostgresTemplate, tmp_path: Path, redis_prefix: str
) -> None:
    web = steered_web
    db = postgres_template.database(tmp_path / "db")
    known = web.picture("/k.jpg", 3)
    web.picture("/shared.jpg", 5)
    pages = {}
    for n in range(6):
        web.picture(f"/own-{n}.jpg", 10 + n)
        images = ["/shared.jpg", f"/own-{n}.jpg"] + (["/k.jpg"] if n % 2 == 0 else [])
        pages[web.page(f"/p{n}.html", *images)] = images
    # A seventh request reaches the third page through a redirect: two crawls, two visits
    # (de-duplication is per crawl, as in one process).
    alias = web.url("/alias.html")
    web.resources["/alias.html"] = fleet_support.Resource(status=302, location=web.url("/p2.html"))
    # The first two pages are held until both were asked for: each member then holds one
    # request (a member busy with a page claims no more), so both members take part.
    held = [web.hold("/p0.html"), web.hold("/p1.html")]

    def release_when_both_asked() -> None:
        web.wait_for("/p0.html")
        web.wait_for("/p1.html")
        for event in held:
            event.set()

    both = threading.Thread(target=release_when_both_asked, daemon=True)
    done = subprocess.run(
        [sys.executable, "-m", "sentinelle", "lists", "import", str(known_list(tmp_path, known)),
         "--name", "fleet-known"], env=db.env(), capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    ids = _queue(db, [*pages, alias])

    both.start()
    env = web.env(db)
    args = ["--queue", "--until-empty", "--batch", "1", "--depth", "0", "--hosts-file",
            hosts_file(tmp_path), *STEERED]
    started = [(member(env, tmp_path / f"m{n}", *args, "--worker", f"w{n}", prefix=redis_prefix),
                tmp_path / f"m{n}") for n in (1, 2)]
    results = [finish(process, folder, timeout=120) for process, folder in started]
    both.join(timeout=5)
    for result in results:
        assert result.returncode == 0, result.stderr[-3000:]

    # each request claimed once, by one member, and done; both members took part
    rows = db.query("SELECT id, status, attempts, claimed_by FROM crawl_crawlrequest")
    assert {(status, attempts) for _, status, attempts, _ in rows} == {("done", 1)}
    assert {worker for *_, worker in rows} == {"w1", "w2"}
    assert sum(r.stats.get("queue/claimed", 0) for r in results) == len(pages) + 1
    claims = db.query(
        "SELECT target_id, count(*) FROM audit_auditevent WHERE target_type = 'crawl_request' "
        "AND after->>'status' = 'running' GROUP BY target_id"
    )
    assert sorted(claims) == sorted((str(pk), 1) for pk in ids.values())

    # every page once per request; a picture two requests show is fetched by each
    assert web.hits == Counter(
        {"/shared.jpg": 7, "/k.jpg": 4, "/alias.html": 1, "/p2.html": 2, "/own-2.jpg": 2,
         **{f"/p{n}.html": 1 for n in (0, 1, 3, 4, 5)}, **{f"/own-{n}.jpg": 1 for n in (0, 1, 3, 4, 5)}}
    )
    sightings = db.query(
        "SELECT s.crawl_request_id, s.run, s.url, p.url FROM sightings_sighting s "
        "JOIN sightings_page p ON p.id = s.page_id"
    )
    expected = Counter((ids[page], f"{ids[page]}:1", web.url(image), page)
                       for page, images in pages.items() for image in images)
    third = web.url("/p2.html")
    expected += Counter((ids[alias], f"{ids[alias]}:1", web.url(image), third) for image in pages[third])
    assert Counter(sightings) == expected
    outputs = Counter((o["crawl_request"], o["url"], o["page"]) for r in results for o in r.output)
    assert outputs == Counter((pk, url, page) for pk, _, url, page in expected)
    confirmed = {url for (url,) in db.query("SELECT url FROM sightings_page WHERE confirmed")}
    assert confirmed == {page for page, images in pages.items() if "/k.jpg" in images}
    # queued crawls are not shared through Redis: no page filter, no media results there
    client = redis_client()
    assert not [key for key in client.scan_iter(match=f"{redis_prefix}*") if b"dupefilter" in key
                or b":media:" in key or b":pages:" in key]
    client.close()
