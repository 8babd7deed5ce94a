"""Media in a fleet, on a small web the test steers: each URL fetched by one member, every
page's sightings recorded, review media stored by the member holding the bytes, a dead
member's lease taken over once it expires. Members are ``sentinelle crawl`` processes on one
SQLite database and the Redis at 127.0.0.1:6379 (skipped without it, failed under CI=true).
"""

from __future__ import annotations

import hashlib
import signal
import time
from collections import Counter
from pathlib import Path

import crawl_support
import fleet_support
from crawl_support import Database
from fleet_support import STEERED, SteeredWeb, finish, hosts_file, known_list, member, redis_client

from sentinelle.crawl.fleet_keys import FleetKeys
from sentinelle.crawl.normalize import normalize_url

# pytest fixtures from the support modules
sqlite_template_dir = crawl_support.sqlite_template_dir
sqlite_db = crawl_support.sqlite_db
redis_prefix = fleet_support.redis_prefix
steered_web = fleet_support.steered_web


def _args(folder: Path, *known: bytes) -> list[object]:
    return ["--hosts-file", hosts_file(folder), "--list", known_list(folder, *known), *STEERED]


def _kept_for_review(db: Database) -> set[str]:
    rows = db.query("SELECT m.sha256 FROM review_reviewmedia r JOIN sightings_media m ON m.id = r.media_id")
    return {sha256 for (sha256,) in rows}


def test_a_waiting_member_records_from_the_owner_which_stores_the_review_media(
    steered_web: SteeredWeb, sqlite_db: Database, tmp_path: Path, redis_prefix: str
) -> None:
    """Member 1 fetches the shared picture U while member 2, whose page shows U beside a
    known picture K, waits for it; member 2's confirmed page needs U's bytes for review,
    and member 1, holding them, stores them: U is fetched once."""
    web = steered_web
    unknown = web.picture("/u.jpg", 1)
    web.picture("/s.jpg", 2)
    known = web.picture("/k.jpg", 3)
    p1 = web.page("/p1.html", "/u.jpg", "/s.jpg")
    p2 = web.page("/p2.html", "/u.jpg", "/k.jpg")
    release_u, release_s = web.hold("/u.jpg"), web.hold("/s.jpg")
    args = _args(tmp_path, known)
    env = web.env(sqlite_db)

    # Member 1's two download slots are taken by U and S (held): it can take no page now.
    first = member(env, tmp_path / "m1", p1, *args, "--concurrency", "2", prefix=redis_prefix)
    web.wait_for("/u.jpg")
    web.wait_for("/s.jpg")
    second = member(env, tmp_path / "m2", p2, *args, prefix=redis_prefix)
    web.wait_for("/k.jpg")  # member 2 read P2 and claimed U (before K) in page order
    release_u.set()
    # Member 2 records U from member 1's result; its page is confirmed (K) and needs U's
    # bytes, which member 1 (still busy with S) stores for it.
    deadline = time.monotonic() + fleet_support.WAIT
    while not _kept_for_review(sqlite_db) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _kept_for_review(sqlite_db) == {hashlib.sha256(unknown).hexdigest()}
    release_s.set()
    two = finish(second, tmp_path / "m2")
    one = finish(first, tmp_path / "m1")
    assert one.returncode == 0, one.stderr[-3000:]
    assert two.returncode == 0, two.stderr[-3000:]

    assert web.hits == Counter({"/p1.html": 1, "/p2.html": 1, "/u.jpg": 1, "/s.jpg": 1, "/k.jpg": 1})
    u, s, k = web.url("/u.jpg"), web.url("/s.jpg"), web.url("/k.jpg")
    assert one.placements() == Counter({(u, p1): 1, (s, p1): 1})
    assert two.placements() == Counter({(u, p2): 1, (k, p2): 1})
    assert {(o["url"], bool(o["matches"])) for o in two.output} == {(u, False), (k, True)}
    shared = next(o for o in two.output if o["url"] == u)
    owned = next(o for o in one.output if o["url"] == u)
    assert {key: shared[key] for key in ("sha256", "pdq", "ip", "seen_at", "http_status")} == {
        key: owned[key] for key in ("sha256", "pdq", "ip", "seen_at", "http_status")
    }
    assert two.stats["fleet/media-shared"] == 1 and two.stats["media/fetched"] == 1  # K
    assert one.stats["media/fetched"] == 2  # U and S
    assert two.stats["fleet/review-by-owner"] == 1 and two.stats.get("review/refetched", 0) == 0
    assert one.stats["fleet/review-for-others"] == 1 and one.stats["review/stored"] == 1
    sightings = Counter((url, page) for _, url, page, _ in sqlite_db.sightings())
    assert sightings == Counter({(u, p1): 1, (s, p1): 1, (u, p2): 1, (k, p2): 1})


def test_a_later_member_reuses_results_failures_and_redirect_targets(
    steered_web: SteeredWeb, sqlite_template_dir: Path, sqlite_db: Database, tmp_path: Path,
    redis_prefix: str,
) -> None:
    """Member 1 runs first; member 2, started after it under the same prefix, fetches none
    of what member 1 fetched: not the shared picture, not the missing one (404), not the
    target both pages' redirects lead to. Its sightings are those one process records.
    Member 1 is gone when member 2's confirmed page needs U's bytes: member 2 fetches them
    again, as one process does when its buffer let them go."""
    web = steered_web
    web.picture("/u.jpg", 1)
    target = web.picture("/t.jpg", 4)
    known = web.picture("/k.jpg", 3)
    for hop in ("/r1", "/r2"):
        web.resources[hop] = fleet_support.Resource(status=302, location=web.url("/t.jpg"))
    p1 = web.page("/p1.html", "/u.jpg", "/gone.jpg")  # not confirmed: U is not kept for review
    p2 = web.page("/p2.html", "/u.jpg", "/gone.jpg", "/r2", "/k.jpg")
    p3 = web.page("/p3.html", "/r1")
    args = _args(tmp_path, known, target)
    alone_db = crawl_support.sqlite_database(sqlite_template_dir, tmp_path / "alone-db")
    alone = finish(member(web.env(alone_db), tmp_path / "alone", p1, p2, p3, *args), tmp_path / "alone")
    assert alone.returncode == 0, alone.stderr[-3000:]
    web.hits.clear()

    env = web.env(sqlite_db)
    one = finish(member(env, tmp_path / "m1", p1, p3, *args, prefix=redis_prefix), tmp_path / "m1")
    assert one.returncode == 0, one.stderr[-3000:]
    two = finish(member(env, tmp_path / "m2", p2, *args, prefix=redis_prefix), tmp_path / "m2")
    assert two.returncode == 0, two.stderr[-3000:]

    u, t, k = web.url("/u.jpg"), web.url("/t.jpg"), web.url("/k.jpg")
    assert web.hits == Counter({
        "/p1.html": 1, "/p2.html": 1, "/p3.html": 1, "/u.jpg": 2, "/gone.jpg": 1, "/r1": 1, "/r2": 1,
        "/t.jpg": 1, "/k.jpg": 1,
    })
    assert two.stats["review/refetched"] == 1 and two.stats["fleet/review-fetched-here"] == 1
    assert two.stats["review/stored"] == 1
    assert two.stats["media/merged"] == 1 and two.stats["fleet/media-shared"] == 2
    assert two.stats["fleet/media-failed"] == 1 and "dropped/http-404" not in two.stats
    together = one.placements() + two.placements()
    assert together == alone.placements()
    assert together == Counter({(u, p1): 1, (t, p3): 1, (u, p2): 1, (t, p2): 1, (k, p2): 1})
    matched = {(o["url"], o["page"]) for o in one.output + two.output if o["matches"]}
    assert matched == {(o["url"], o["page"]) for o in alone.output if o["matches"]}


def test_a_dead_members_lease_is_taken_over_when_it_expires(
    steered_web: SteeredWeb, sqlite_db: Database, tmp_path: Path, redis_prefix: str
) -> None:
    """A lease on U held by a member that no longer renews it (it died): the member reading
    the page waits until the lease expires, then fetches U itself, once."""
    web = steered_web
    web.picture("/u.jpg", 1)
    known = web.picture("/k.jpg", 3)
    page = web.page("/p.html", "/u.jpg", "/k.jpg")
    client = redis_client()
    lease = FleetKeys(redis_prefix).lease("seeds", normalize_url(web.url("/u.jpg")).key)

    def dead_member_claims_u() -> None:  # before the page is answered, so before any claim
        client.set(lease, "dead-member", px=120_000)

    web.resources["/p.html"].on_request = dead_member_claims_u
    args = _args(tmp_path, known)
    keys = FleetKeys(redis_prefix)
    client.zadd(keys.queue, {b"{damaged": -100})  # taken first, dropped: nothing else changes
    process = member(web.env(sqlite_db), tmp_path / "m", page, *args, prefix=redis_prefix)
    web.wait_for("/k.jpg")  # the member read the page and found U taken (it claims U first)
    assert not web.hits["/u.jpg"]
    expiry = time.monotonic() + 0.5  # Redis expires it half a second after it is told: later
    client.pexpire(lease, 500)
    done = finish(process, tmp_path / "m")
    client.close()
    assert done.returncode == 0, done.stderr[-3000:]
    assert web.hits["/u.jpg"] == 1
    assert web.times["/u.jpg"][0] >= expiry
    assert done.stats["fleet/lease-expired"] == 1
    u, k = web.url("/u.jpg"), web.url("/k.jpg")
    assert done.placements() == Counter({(u, page): 1, (k, page): 1})
    assert done.stats["errors/fleet-request"] == 1
    check = redis_client()
    assert check.zcard(keys.queue) == 0 and not list(check.scan_iter(match=f"{redis_prefix}*inflight*"))
    check.close()


def test_a_killed_members_page_and_lease_are_taken_over(
    steered_web: SteeredWeb, sqlite_db: Database, tmp_path: Path, redis_prefix: str
) -> None:
    """Member 1 is killed (SIGKILL) while doing a page, after it recorded K and published
    it, while it fetches U. Member 2, whose URL is that page (so a duplicate: nothing of its
    own), waits for member 1's heartbeat to expire, puts the page back, does it again under
    the fleet's run label: K's sighting is found recorded, U's recorded; nothing twice."""
    web = steered_web
    web.picture("/u.jpg", 1)
    known = web.picture("/k.jpg", 3)
    page = web.page("/p.html", "/k.jpg", "/u.jpg")
    release_u = web.hold("/u.jpg")
    args = _args(tmp_path, known)
    env = web.env(sqlite_db, SENTINELLE_FLEET_LEASE_SECONDS="2")
    client = redis_client()
    results = FleetKeys(redis_prefix).media("seeds")
    k_key = normalize_url(web.url("/k.jpg")).key

    first = member(env, tmp_path / "m1", page, *args, prefix=redis_prefix)
    web.wait_for("/u.jpg")
    deadline = time.monotonic() + fleet_support.WAIT
    while client.hget(results, k_key) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert client.hget(results, k_key) is not None, "member 1 never published K"
    first.kill()
    first.communicate(timeout=fleet_support.WAIT)
    release_u.set()
    two = finish(member(env, tmp_path / "m2", page, *args, prefix=redis_prefix), tmp_path / "m2")
    client.close()
    assert two.returncode == 0, two.stderr[-3000:]

    assert two.stats["fleet/pages-recovered"] == 1 and two.stats["fleet/adopted"] == 1
    assert two.stats["sightings/existing"] == 1 and two.stats["sightings/recorded"] == 1
    assert web.hits == Counter({"/p.html": 2, "/k.jpg": 1, "/u.jpg": 2})  # member 1's U: unanswered
    rows = sqlite_db.sightings()
    u, k = web.url("/u.jpg"), web.url("/k.jpg")
    assert Counter((url, page_url) for _, url, page_url, _ in rows) == Counter({(k, page): 1, (u, page): 1})
    assert len({run for *_, run in rows}) == 1  # one run label for the fleet's crawl


def test_a_member_stopped_with_ctrl_c_hands_its_page_back_at_once(
    steered_web: SteeredWeb, sqlite_db: Database, tmp_path: Path, redis_prefix: str
) -> None:
    """Member 1 is stopped (SIGINT) in the middle of a page: the download under way ends and
    is recorded, and the page, whose links a stopping member does not follow, goes back to
    the queue at once (the lease is ten minutes: nobody waits for it). Member 2 does it
    again from the results member 1 published: nothing fetched twice but the page, nothing
    recorded twice."""
    web = steered_web
    web.picture("/u.jpg", 1)
    known = web.picture("/k.jpg", 3)
    page = web.page("/p.html", "/k.jpg", "/u.jpg")
    release_u = web.hold("/u.jpg")
    args = _args(tmp_path, known)
    env = web.env(sqlite_db, SENTINELLE_FLEET_LEASE_SECONDS="600")
    client = redis_client()
    results = FleetKeys(redis_prefix).media("seeds")
    k_key = normalize_url(web.url("/k.jpg")).key

    first = member(env, tmp_path / "m1", page, *args, "--log-level", "INFO", prefix=redis_prefix, log=True)
    web.wait_for("/u.jpg")
    deadline = time.monotonic() + fleet_support.WAIT
    while client.hget(results, k_key) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    client.close()
    first.send_signal(signal.SIGINT)
    fleet_support.wait_for_log(tmp_path / "m1", "shutting down gracefully")
    release_u.set()  # U is answered while member 1 stops
    one = finish(first, tmp_path / "m1")
    assert one.returncode == 130, one.stderr[-3000:]
    two = finish(member(env, tmp_path / "m2", page, *args, prefix=redis_prefix), tmp_path / "m2")
    assert two.returncode == 0, two.stderr[-3000:]

    assert web.hits == Counter({"/p.html": 2, "/k.jpg": 1, "/u.jpg": 1})
    assert two.stats["fleet/media-shared"] == 2 and two.stats["sightings/existing"] == 2
    assert "fleet/pages-recovered" not in two.stats
    rows = sqlite_db.sightings()
    u, k = web.url("/u.jpg"), web.url("/k.jpg")
    assert Counter((url, page_url) for _, url, page_url, _ in rows) == Counter({(k, page): 1, (u, page): 1})
    assert len({run for *_, run in rows}) == 1
