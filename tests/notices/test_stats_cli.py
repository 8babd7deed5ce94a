"""The whole chain through the real commands, each in its own process, on SQLite and on
PostgreSQL: ``sentinelle crawl`` finds a listed picture on a sandbox site, ``sentinelle
worker`` puts it on a notice (attributed against the sandbox's registries), the notice goes
out to a real SMTP server, the host takes the picture down, the next worker run's recheck
finds it gone, and ``sentinelle stats`` reports what happened."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rechecks_support import SandboxWorld

from sentinelle.crawl.normalize import normalize_url
from sentinelle.sandbox.mailsink import MailSink
from support.cli import clean_env, run_cli
from support.databases import migrated_database

pytestmark = pytest.mark.slow
RECHECK_HOURS = 0.0005  # 1.8 seconds


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a fresh, migrated database."""
    with migrated_database(request.param, tmp_path, "sentinelle_h6") as env:
        yield env


def _ok(*args: object, env: dict[str, str]) -> str:
    done = run_cli(*args, env=env)
    assert done.returncode == 0, (args, done.stderr[-3000:])
    return done.stdout


def _page_with_a_listed_picture(world: SandboxWorld) -> tuple[str, str]:
    provider = world.provider(0)
    urls = set(world.media_urls(provider))
    for placement in world.of_type("placement"):
        if placement["final"] in urls and placement["construct"] != "query-string":
            return placement["page"], placement["final"]
    raise LookupError("no page places a listed picture (not taken down yet) on provider 0's sites")


def test_crawl_notice_recheck_and_stats_through_the_commands(
    database: dict[str, str], world: SandboxWorld
) -> None:
    page, picture = _page_with_a_listed_picture(world)
    with MailSink() as sink:
        env = {**database, **world.env(), "SENTINELLE_SMTP_URL": sink.url,
               "SENTINELLE_NOTICE_FROM": "Hotline Test <notices@hotline.example>",
               "SENTINELLE_RECHECK_HOURS": str(RECHECK_HOURS), "SENTINELLE_ESCALATE_AFTER": "0",
               "SENTINELLE_ESCALATION_POLICY": ""}
        _ok("lists", "import", world.known_csv, "--name", "known", env=env)
        _ok("lists", "verify", "known", env=env)
        _ok("crawl", page, "--depth", "0", "--hosts-file", world.hosts, "--no-progress", env=env)
        worker = ("worker", "--until-idle", "--poll", "0.1", "--hosts-file", world.hosts)
        _ok(*worker, env=env)
        (notice,) = [json.loads(line) for line in _ok("notices", "list", "--json", env=env).splitlines()]
        assert notice["status"] == "draft" and notice["recipient"]["email"] == world.provider(0)["abuse_email"]
        assert json.loads(_ok("stats", "--json", env=env))["notices"]["sent"] == 0
        _ok("notices", "send", notice["reference"], env=env)
        _ok(*worker, env=env)
        (mail,) = sink.wait_for(1, timeout=10)
        assert mail.rcpt_tos == (world.provider(0)["abuse_email"],)

        world.take_down([picture], reference=notice["reference"])
        time.sleep(RECHECK_HOURS * 3600 + 0.5)
        rechecked = [json.loads(line) for line in _ok(*worker, env=env).splitlines()]
        assert [r["result"] for r in rechecked if r.get("task") == "recheck_item"] == ["removed"]

    items = {i["url"]: i for i in map(json.loads, _ok("notices", "items", env=env).splitlines())}
    removed = items[normalize_url(picture).url]
    assert removed["status"] == "removed" and removed["last_check_detail"] == "HTTP 404"
    assert removed["time_to_removal_seconds"] >= RECHECK_HOURS * 3600
    stats = json.loads(_ok("stats", "--json", env=env))
    assert stats["crawl"]["pages"] == 1 and stats["crawl"]["images"] >= 1
    assert stats["matches"]["sightings"] == len(items) and stats["matches"]["intake"]["noticed"] == len(items)
    assert stats["notices"]["sent"] == 1
    assert stats["removal"]["removed"] == 1 and stats["removal"]["noticed"] == len(items)
    seconds = [i["time_to_removal_seconds"] for i in items.values() if i["status"] == "removed"]
    assert stats["removal"]["median_seconds"] == pytest.approx(sorted(seconds)[len(seconds) // 2])
    (provider,) = stats["providers"]
    (country,) = stats["countries"]
    assert provider["removed"] == 1 and country["country"] == world.provider(0)["country"]
    future = json.loads(_ok("stats", "--json", "--since", "2999-01-01", env=env))
    assert future["notices"]["sent"] == 0 and future["removal"]["noticed"] == 0
    table = _ok("stats", env=env)
    assert "median time to removal" in table and world.provider(0)["country"] in table
    assert run_cli("stats", "--since", "soon", env=env).returncode == 2
    assert _ok("notices", "pending", env=env) == ""
    shown = json.loads(_ok("notices", "show", notice["reference"], env=env))
    events = [e["event"] for e in shown["timeline"] if e["item"] == removed["report_id"]]
    assert events == ["recheck", "removed"]
    (mine,) = [i for i in shown["items"] if i["report_id"] == removed["report_id"]]
    assert mine["status"] == "removed" and mine["checks"] == 1 and mine["last_check"] == "removed"


def test_the_worker_refuses_a_hosts_file_it_cannot_read(tmp_path: Path) -> None:
    env = {**clean_env(str(tmp_path / "data")), "SENTINELLE_NOTICE_FROM": "notices@hotline.example"}
    (tmp_path / "hosts").write_text("not-an-address www.example.test\n")
    for hosts in (tmp_path / "missing", tmp_path / "hosts"):
        done = run_cli("worker", "--once", "--hosts-file", hosts, env=env)
        assert done.returncode == 2 and "--hosts-file" in done.stderr
    env["SENTINELLE_ESCALATION_POLICY"] = "upstream,police"
    done = run_cli("worker", "--once", env=env)
    assert done.returncode == 3 and "SENTINELLE_ESCALATION_POLICY" in done.stderr
