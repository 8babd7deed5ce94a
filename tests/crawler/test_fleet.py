"""The fleet: crawler processes sharing one crawl through Redis, against the sandbox web.

Uses the Redis at 127.0.0.1:6379 under a key prefix of its own (deleted afterwards); without
it the fleet tests are skipped, except under CI=true where they fail.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import crawl_support
import fleet_support
import pytest
from crawl_support import Database, SandboxWeb, sandbox_args
from fleet_support import Finished, finish, member, redis_client
from scrapy import Request
from scrapy.utils.request import request_from_dict

from sentinelle.crawl import redis_json
from sentinelle.crawl.fleet_config import FleetUnavailable, fleet_settings
from sentinelle.crawl.fleet_results import Alias, BadResult, Failed, Fetched, decode, encode
from sentinelle.crawl.fleet_scripts import ADMIT, CLAIM, MINE, PUBLISH, RENEW, WAIT
from sentinelle.crawl.hashing_pool import HashedMedia
from sentinelle.crawl.visits import MediaOutcome
from sentinelle.engine.matcher import Match
from sentinelle.hashing import MediaProblem, PdqHash, PdqPath

# pytest fixtures from the support modules (tests/crawler/conftest.py is not this suite's)
sandbox_web = crawl_support.sandbox_web
sqlite_template_dir = crawl_support.sqlite_template_dir
sqlite_db = crawl_support.sqlite_db
redis_prefix = fleet_support.redis_prefix
REDIS = fleet_support.REDIS
#: No retries (a second request would be a bug), and time enough on a loaded machine.
PATIENT = ("--timeout", "10", "--retries", "0")


def test_fleet_json_round_trips_requests_with_bytes() -> None:
    request = Request(
        "http://a.test/x?q=1", method="POST", body=b"\x00\xff", headers={"X-A": "b"},
        meta={"sentinelle_fleet": {"crawl": "seeds", "depth": 1, "referrer": None}}, priority=-2,
    )
    text = redis_json.dumps(request.to_dict())
    assert "__bytes__" in text and "\\u0000" not in text
    again = request_from_dict(redis_json.loads(text))
    assert (again.url, again.body, again.method, again.priority) == (request.url, b"\x00\xff", "POST", -2)
    assert again.headers[b"X-A"] == b"b" and again.meta == request.meta


def test_fleet_json_refuses_python_objects() -> None:
    with pytest.raises(TypeError):
        redis_json.dumps({"meta": {"visit": object()}})


def test_fleet_settings_only_with_a_redis_url(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fleet_settings("", "p:") == {}
    settings = fleet_settings(REDIS, "p:", check=False)
    assert settings["SCHEDULER_SERIALIZER"] == "sentinelle.crawl.redis_json"
    assert settings["SCHEDULER_QUEUE_KEY"] == "p:%(spider)s:requests"
    assert settings["SCHEDULER_PERSIST"] is True
    assert settings["FLEET_LEASE_SECONDS"] == 30
    monkeypatch.setenv("SENTINELLE_FLEET_LEASE_SECONDS", "0")
    with pytest.raises(FleetUnavailable, match="SENTINELLE_FLEET_LEASE_SECONDS must be at least 1"):
        fleet_settings(REDIS, "p:", check=False)
    monkeypatch.setenv("SENTINELLE_FLEET_LEASE_SECONDS", "5")
    with pytest.raises(FleetUnavailable, match="must specify one of the following schemes"):
        fleet_settings("http://10.0.0.5/", "p:")


def _outcome(**changes: Any) -> MediaOutcome:
    hashed = HashedMedia(
        size=123, sha256="a" * 64, md5="b" * 32, sha1="c" * 40, mime="image/jpeg", width=4,
        height=3, pdq=PdqHash("d" * 64, 90, PdqPath.FAST, ("e" * 64,) * 8),
        problem=None, matches=(Match("known", "pdq", "f" * 64, 4, "csam", "k-1", "rotate90"),),
    )
    values: dict[str, Any] = {"hashed": hashed, "url": "http://a.test/x.jpg", "status": 200,
                              "ip": "127.64.1.10", "seen_at": datetime(2026, 6, 1, 12, tzinfo=UTC)}
    return MediaOutcome(**{**values, **changes})


def test_fleet_results_round_trip_as_json() -> None:
    outcome = _outcome()
    assert outcome.hashed.pdq is not None
    pdq = replace(outcome.hashed.pdq, dihedral=())  # variants serve matching only: not shared
    same = replace(outcome, hashed=replace(outcome.hashed, pdq=pdq))
    assert decode(encode(Fetched(outcome, "m1"))) == Fetched(same, "m1")
    broken = _outcome(hashed=HashedMedia(1, "a" * 64, "b" * 32, "c" * 40, "image/png", None, None,
                                         None, MediaProblem("corrupt", "truncated"), ()), ip=None)
    assert decode(encode(Fetched(broken, "m2"))) == Fetched(broken, "m2")
    assert decode(encode(Failed("http-404"))) == Failed("http-404")
    assert decode(encode(Alias("http://a.test/y.jpg"))) == Alias("http://a.test/y.jpg")
    for bad in (b"\x80", b"[]", b'{"fetched": {}}', b'{"fetched": {"url": 1}, "owner": "m"}',
                encode(Fetched(outcome, "m1")).replace("+00:00", "")):
        with pytest.raises(BadResult):
            decode(bad)


def test_fleet_leases_claim_publish_renew_and_expire(redis_prefix: str) -> None:
    client = redis_client()
    claim, publish = client.register_script(CLAIM), client.register_script(PUBLISH)
    renew = client.register_script(RENEW)
    results, lease, other = f"{redis_prefix}media", f"{redis_prefix}lease:a", f"{redis_prefix}lease:b"

    def ask(who: str, ms: int = 10_000) -> list[bytes]:
        return list(claim(keys=[results, lease, other], args=[who, ms, "a", "b"]))

    assert ask("m1") == [MINE, MINE]
    assert ask("m2") == [WAIT, WAIT]
    assert ask("m1") == [WAIT, WAIT]  # a second fetch in the same member waits for the first
    assert renew(keys=[lease, other], args=["m2", 10_000]) == 2  # not m2's: lost, untouched
    assert renew(keys=[lease, other], args=["m1", 10_000]) == 0
    publish(keys=[results, lease], args=["m1", encode(Failed("timeout")), "a"])
    assert client.exists(lease) == 0 and client.exists(other) == 1
    first, second = ask("m2")
    assert decode(first) == Failed("timeout") and second == WAIT
    publish(keys=[results], args=["m2", encode(Failed("late")), "a"])  # the first result stays
    assert decode(ask("m3")[0]) == Failed("timeout")
    client.set(other, "dead-member", px=50)
    time.sleep(0.2)  # Redis expires it (a 50 ms lease, looked at 200 ms later)
    assert ask("m2", 10_000)[1] == MINE
    client.close()


def test_fleet_page_admission_is_atomic_across_members(redis_prefix: str) -> None:
    """Eight members admit overlapping pages at once: each page once, caps never passed."""
    client = redis_client()
    admit = client.register_script(ADMIT)
    keys = [f"{redis_prefix}dupefilter", f"{redis_prefix}pages:seeds", f"{redis_prefix}requests"]
    admitted: list[tuple[int, str]] = []
    refused: Counter[str] = Counter()
    lock = threading.Lock()

    def one_member(number: int) -> None:
        local = redis_client()
        script = local.register_script(ADMIT)
        for page in range(60):
            host = f"h{page % 5}"
            verdict = script(keys=keys, args=[f"fp-{page}", host, 25, 7, f"page-{page}", -1]).decode()
            with lock:
                if verdict == "ok":
                    admitted.append((page, host))
                else:
                    refused[verdict] += 1
        local.close()

    threads = [threading.Thread(target=one_member, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pages = [page for page, _ in admitted]
    assert len(pages) == len(set(pages)) == 25
    assert max(Counter(host for _, host in admitted).values()) <= 7
    assert set(refused) <= {"duplicate", "page-limit", "host-limit"} and refused["page-limit"]
    queued = {data.decode() for data in client.zrange(keys[2], 0, -1)}
    assert queued == {f"page-{page}" for page in pages}  # admitted and queued in one step
    assert admit(keys=keys, args=["fp-0", "h0", 25, 7, "page-0", -1]) == b"duplicate"
    client.close()


# --- two members against the sandbox ------------------------------------------------------------


def _members(db: Database, web: SandboxWeb, folder: Path, prefix: str, *args: object) -> list[Finished]:
    env = crawl_support.crawl_env(db, web)
    started = [
        (member(env, folder / f"m{n}", *args, *sandbox_args(web), *PATIENT, prefix=prefix), folder / f"m{n}")
        for n in (1, 2)
    ]
    done = [finish(process, where, timeout=crawl_support.CRAWL_TIMEOUT * 2) for process, where in started]
    for result in done:
        assert result.returncode == 0, result.stderr[-3000:]
    return done


def _sum(*results: Finished) -> Counter[str]:
    """The members' counts added up."""
    return sum((Counter({k: v for k, v in r.stats.items() if isinstance(v, int)}) for r in results), Counter())


def _kept(db: Database) -> set[str]:
    rows = db.query("SELECT m.sha256 FROM review_reviewmedia r JOIN sightings_media m ON m.id = r.media_id")
    return {sha256 for (sha256,) in rows}


def test_a_fleet_of_two_finds_what_one_finds_fetching_each_url_once(
    sandbox_web: SandboxWeb, sqlite_template_dir: Path, sqlite_db: Database, tmp_path: Path,
    redis_prefix: str,
) -> None:
    web = sandbox_web
    seeds = web.ordinary_pages()
    alone_db = crawl_support.sqlite_database(sqlite_template_dir, tmp_path / "alone-db")

    web.reset_hits()
    env = crawl_support.crawl_env(alone_db, web)
    args = [*seeds, "--list", web.known_list, *sandbox_args(web), *PATIENT]
    alone = finish(member(env, tmp_path / "alone", *args), tmp_path / "alone", timeout=120)
    assert alone.returncode == 0, alone.stderr[-3000:]
    assert {(o["url"], m["id"]) for o in alone.output for m in o["matches"]} == web.expected_matches()
    fetched_alone = set(web.hits)

    web.reset_hits()
    one, two = _members(sqlite_db, web, tmp_path, redis_prefix, *seeds, "--list", web.known_list)
    # every page and media URL fetched by exactly one member, once: those one process fetches
    assert set(web.hits) == fetched_alone
    assert max(web.hits.values()) == 1, Counter(web.hits).most_common(3)
    # the same sightings, none lost, none twice: in the output and in the database
    assert one.placements() + two.placements() == alone.placements()
    matched = Counter((o["url"], m["id"], o["page"]) for r in (one, two) for o in r.output for m in o["matches"])
    assert matched == Counter((o["url"], m["id"], o["page"]) for o in alone.output for m in o["matches"])
    assert Counter(row[:3] for row in sqlite_db.sightings()) == Counter(row[:3] for row in alone_db.sightings())
    assert len({row[3] for row in sqlite_db.sightings()}) == 1  # the fleet's crawl: one run
    assert _kept(sqlite_db) == _kept(alone_db) != set()
    # the pages went through the shared queue; the shared media through Redis
    total = _sum(one, two)
    assert total["fleet/adopted"] == total["pages/fetched"] == alone.stats["pages/fetched"]
    assert total["media/fetched"] == alone.stats["media/fetched"]
    assert total["pages/confirmed"] == alone.stats["pages/confirmed"]


def test_page_caps_hold_for_the_whole_fleet(
    sandbox_web: SandboxWeb, sqlite_db: Database, tmp_path: Path, redis_prefix: str
) -> None:
    web = sandbox_web
    seeds = [url for url in web.ordinary_pages() if "redirect" not in url]  # one fetch a page
    per_host = Counter(urlsplit(url).hostname for url in seeds)
    assert max(per_host.values()) > 2 and len(seeds) > 7
    common = ("--depth", "0", "--list", web.known_list)

    web.reset_hits()
    _members(sqlite_db, web, tmp_path / "hosts", f"{redis_prefix}a:", *seeds, *common,
             "--max-pages-per-host", "2")
    visited = [url for url in seeds if web.hits[url]]
    assert max(web.hits[url] for url in visited) == 1
    assert Counter(urlsplit(url).hostname for url in visited) == {h: min(n, 2) for h, n in per_host.items()}

    web.reset_hits()
    done = _members(sqlite_db, web, tmp_path / "pages", f"{redis_prefix}b:", *seeds, *common,
                    "--max-pages", "7")
    visited = [url for url in seeds if web.hits[url]]
    assert len(visited) == 7 and max(web.hits[url] for url in visited) == 1
    assert _sum(*done)["pages/fetched"] == 7


def test_a_member_whose_redis_does_not_answer_stops_at_once(
    sandbox_web: SandboxWeb, sqlite_db: Database, tmp_path: Path
) -> None:
    web = sandbox_web
    web.reset_hits()
    env = crawl_support.crawl_env(sqlite_db, web, SENTINELLE_REDIS_URL="redis://127.0.0.1:1/0")
    run = crawl_support.crawl(sqlite_db, web, tmp_path, *web.ordinary_pages()[:2], "--list",
                              web.known_list, *sandbox_args(web), env=env)
    assert run.returncode == 3, run.stderr[-3000:]
    assert "the fleet's Redis (SENTINELLE_REDIS_URL) cannot be used" in run.stderr
    assert not web.hits and not sqlite_db.sightings()
