"""Page visits and fetched files written in batches: all of a batch or none of it (even when
the crawler is killed in the middle), a bad record failing alone, and the do-not-act
look-ups of the hot path answering as the do-not-act services do.

The batch writes run in a child process on a fresh SQLite or PostgreSQL database (the
crawler's database threads need committed data, which a test transaction cannot give them).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import crawl_support
import pytest
from crawl_support import Database

from sentinelle.audit.services import Actor
from sentinelle.crawl.donotact_checks import hash_listed, url_listed
from sentinelle.donotact.services import add, blocks_hash, blocks_url

# pytest fixtures from crawl_support (tests/crawler/conftest.py is not this suite's)
database = crawl_support.database
postgres_template = crawl_support.postgres_template
sqlite_template_dir = crawl_support.sqlite_template_dir
sqlite_db = crawl_support.sqlite_db

#: The child's helpers: N fetched files (distinct bytes, one match each) on two pages.
RECORDS = r'''
import asyncio, hashlib, json, os, signal, sys
from datetime import UTC, datetime, timedelta
from sentinelle.crawl.batch_writes import MediaRecord, PageVisit, record_batch
from sentinelle.crawl.hashing_pool import HashedMedia
from sentinelle.crawl.visits import MediaOutcome
from sentinelle.engine.matcher import Match

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
PAGES = ["https://gallery.example/a", "https://gallery.example/b"]

def record(i, *, ip="192.0.2.7", run="run-1"):
    data = f"benign file {i}".encode()
    hashed = HashedMedia(
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), md5=hashlib.md5(data).hexdigest(),
        sha1=hashlib.sha1(data).hexdigest(), mime="image/png", width=4, height=3, pdq=None,
        problem=None,
        matches=(Match("test-list", "sha256", hashlib.sha256(data).hexdigest(), 0, "csam", f"h{i}"),),
    )
    outcome = MediaOutcome(hashed, f"https://cdn.example/{i}.png", 200, ip, T0 + timedelta(seconds=i))
    return MediaRecord(outcome, [PAGES[i % 2]], run, None, {PAGES[i % 2]: 200})

def show(answers):
    return [
        [r.created for r in a] if isinstance(a, list) else (type(a).__name__ if a else None)
        for a in answers
    ]
'''

COUNT = """
import json
from django.db import connection
with connection.cursor() as c:
    counts = {t: c.execute(f"SELECT count(*) FROM sightings_{t}").fetchone()[0]
              for t in ("sighting", "match", "media", "page", "host")}
print(json.dumps(counts))
"""


def _count(db: Database) -> dict[str, int]:
    return dict(json.loads(db.python(COUNT).splitlines()[-1]))


def test_a_batch_records_every_good_record_and_a_bad_one_fails_alone(database: Database) -> None:
    script = RECORDS + """
records = [record(i) for i in range(6)]
records[3] = record(3, ip="not an address")
records.append(PageVisit("https://gallery.example/c", T0, 404))
records.append(PageVisit("ftp://gallery.example/d", T0, 200))
print(json.dumps([show(record_batch(records)), show(record_batch(records))]))
"""
    first, again = json.loads(database.python(script).splitlines()[-1])
    assert first == [[True], [True], [True], "InvalidObservation", [True], [True], None, "UnsupportedScheme"]
    assert again == [[False], [False], [False], "InvalidObservation", [False], [False], None, "UnsupportedScheme"]
    assert _count(database) == {"sighting": 5, "match": 5, "media": 5, "page": 3, "host": 2}


def test_records_handed_over_together_are_written_in_one_transaction(sqlite_db: Database) -> None:
    script = RECORDS + """
from sentinelle.crawl.database import Database
from sentinelle.crawl.group_commit import GroupCommit

async def main():
    writes = GroupCommit(Database(), limit=16, linger=0.05)
    records = [record(i) for i in range(40)]
    records[7] = record(7, ip="not an address")
    answers = await asyncio.gather(*(writes.record(r) for r in records), return_exceptions=True)
    visit = await writes.visit(PageVisit("https://gallery.example/c", T0, 200))
    return writes.batches, show(answers), visit

print(json.dumps(asyncio.run(main())))
"""
    batches, answers, visit = json.loads(sqlite_db.python(script).splitlines()[-1])
    assert batches == 4  # 16 + 16 + 8 files, then the visit alone
    assert answers == [[True]] * 7 + ["InvalidObservation"] + [[True]] * 32
    assert visit is None
    assert _count(sqlite_db)["sighting"] == 39


def test_a_crawler_killed_while_writing_a_batch_leaves_none_of_it(database: Database) -> None:
    kill = RECORDS + """
from sentinelle.sightings.models import Match as MatchRow
def killed(*args, **kwargs):  # the crawler dies after the sightings' INSERT, before COMMIT
    os.kill(os.getpid(), signal.SIGKILL)
MatchRow.objects.bulk_create = killed
record_batch([PageVisit("https://gallery.example/c", T0, 200), *(record(i) for i in range(30))])
"""
    prelude = "from sentinelle.cli.database import setup_django; setup_django()\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + kill], env=database.env(), capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    assert _count(database) == {"sighting": 0, "match": 0, "media": 0, "page": 0, "host": 0}

    again = RECORDS + "print(json.dumps(show(record_batch([record(i) for i in range(30)]))))"
    assert json.loads(database.python(again).splitlines()[-1]) == [[True]] * 30
    assert _count(database) == {"sighting": 30, "match": 30, "media": 30, "page": 2, "host": 2}


@pytest.mark.django_db
def test_the_hot_path_look_ups_answer_as_the_do_not_act_services() -> None:
    actor = Actor.user("analyst-1")
    add("url", "https://listed.example/exact/page?q=1", reason="test", actor=actor)
    add("host", "blocked.example", reason="test", actor=actor)
    add("hash", "A" * 64, reason="test", actor=actor, hash_type="sha256")
    add("hash", "b" * 32, reason="test", actor=actor, hash_type="md5")
    urls = [
        "https://listed.example/exact/page?q=1", "HTTPS://LISTED.example:443/exact/page?q=1#x",
        "https://listed.example/exact/page?q=2", "https://listed.example/", "http://blocked.example/",
        "https://www.blocked.example/a.jpg", "https://notblocked.example/", "https://example/",
        "https://blocked.example.evil/", "ftp://blocked.example/", "not a url",
    ]  # fmt: skip
    for url in urls:
        try:
            expected = blocks_url(url)
        except Exception:  # the crawler's url_blocked counts these as not listed
            expected = False
        assert url_listed(url) == expected, url
    assert [url_listed(u) for u in urls[:6]] == [True, True, False, False, True, True]
    cases = [
        {"sha256": "a" * 64, "md5": "c" * 32},
        {"sha256": "c" * 64, "md5": "B" * 32, "sha1": "d" * 40},
        {"md5": "a" * 64, "sha256": "b" * 32},  # listed values, each under another type
        {"sha256": "e" * 64, "md5": "f" * 32, "sha1": "0" * 40, "pdq": "1" * 64},
    ]
    for values in cases:
        expected_type = next((t for t, v in values.items() if blocks_hash(t, v)), None)
        assert hash_listed(values) == expected_type, values
    assert [hash_listed(v) for v in cases] == ["sha256", "md5", None, None]

