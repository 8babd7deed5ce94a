"""The crawl command's exit codes (DESIGN.md): usage errors, unusable settings or database,
--fail-on-match, and a finished job folder run again."""

from __future__ import annotations

import argparse
from pathlib import Path

import crawl_support
import pytest
from crawl_support import (
    Database,
    SandboxWeb,
    crawl,
    sandbox_args,
)

from sentinelle.cli import crawl_command

# pytest fixtures from crawl_support (tests/crawler/conftest.py is not this suite's)
sandbox_web = crawl_support.sandbox_web
sqlite_db = crawl_support.sqlite_db
sqlite_template_dir = crawl_support.sqlite_template_dir


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="sentinelle")
    commands = parser.add_subparsers(required=True)
    crawl_command.add_parser(commands)
    args = parser.parse_args(["crawl", *argv])
    return int(args.run(args))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "give URLs to crawl, --queue, or --job-dir"),
        (("http://x.example/", "--queue"), "not both"),
        (("http://x.example/", "--until-empty"), "go with --queue"),
        (("ftp://x.example/",), "only http and https"),
        (("http://x.example/", "--depth", "-1"), "depth must be at least 0"),
        (("http://x.example/", "--max-pages", "0"), "max-pages must be at least 1"),
    ],
)
def test_usage_errors_exit_2(
    argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(*argv) == 2
    assert message in capsys.readouterr().err


def test_a_malformed_egress_allowlist_stops_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", "127.0.0.1:8080")
    assert _run("http://x.example/") == 3
    assert "127.0.0.1:8080" in capsys.readouterr().err


def test_an_unmigrated_database_exits_3(sandbox_web: SandboxWeb, tmp_path: Path) -> None:
    empty = Database(tmp_path / "empty")
    empty.data_dir.mkdir()
    run = crawl(empty, sandbox_web, tmp_path / "run", "http://www.x.example/", "--list",
                sandbox_web.known_list, *sandbox_args(sandbox_web))
    assert run.returncode == 3
    assert "sentinelle migrate" in run.stderr


def test_fail_on_match_and_a_finished_job_folder(
    sandbox_web: SandboxWeb, sqlite_db: Database, tmp_path: Path
) -> None:
    web = sandbox_web
    copy = next(p for p in web.of_type("placement") if p["kind"] == "known-copy" and p["final"])
    job = tmp_path / "job"
    args = (copy["page"], "--list", web.known_list, "--depth", "0", "--job-dir", job, "--fail-on-match",
            *sandbox_args(web))
    first = crawl(sqlite_db, web, tmp_path / "first", *args)
    assert first.returncode == 1, first.stderr[-3000:]
    assert first.summary["matches"] >= 1
    again = crawl(sqlite_db, web, tmp_path / "again", *args)
    assert again.returncode == 0
    assert "finished already" in again.stderr
    other = crawl(sqlite_db, web, tmp_path / "other", "http://www.other.example/", "--list",
                  web.known_list, "--job-dir", job, *sandbox_args(web))
    assert other.returncode == 2
    assert "crawl of other URLs" in other.stderr
