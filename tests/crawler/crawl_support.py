"""Helpers for the crawl tests: a counting sandbox web, throw-away databases, the crawl command.

Crawls run as child processes (a Twisted reactor cannot restart inside the test process):
``python crawl_support.py crawl ARGS...`` is a tiny argparse harness around
``sentinelle.cli.crawl_command`` (the command is not registered in ``sentinelle.cli.main``
yet). Everything is benign: the sandbox serves generated pictures on loopback addresses, and
its "known" list holds hashes of some of them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve()
SEED = 11
IMAGES = 60
POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
CRAWL_TIMEOUT = 60
#: Options that keep the sandbox crawls quick: no politeness delay, short timeouts.
FAST = ("--delay", "0", "--per-host", "8", "--timeout", "2", "--retries", "1", "--no-progress")


# --- the sandbox web ---------------------------------------------------------------------------


@dataclass
class SandboxWeb:
    """A running sandbox (in a thread of the test process), its files and request counts."""

    thread: Any
    sandbox: Any
    folder: Path
    records: list[dict[str, Any]]
    hits: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return int(self.sandbox.port)

    @property
    def allow(self) -> str:
        """``SENTINELLE_EGRESS_ALLOW`` for the sandbox: its loopback ranges, its port only."""
        return f"127.64.0.0/10:{self.port}"

    @property
    def known_list(self) -> Path:
        return self.folder / "known.csv"

    @property
    def hosts(self) -> Path:
        return self.folder / "hosts"

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [record for record in self.records if record["type"] == kind]

    @property
    def trap_host(self) -> str:
        (site,) = [s for s in self.of_type("site") if s["role"] == "traps"]
        return str(site["host"])

    def ordinary_pages(self) -> list[str]:
        """Every page a person visits on the ordinary sites (frames are inside pages)."""
        return [
            p["url"]
            for p in self.of_type("page")
            if p["kind"] != "frame" and self.trap_host not in p["url"]
        ]

    def expected_matches(self) -> set[tuple[str, str]]:
        """(media URL, list entry id) of every copy or variant placed on an ordinary page;
        a ``data:`` image's URL is its page's."""
        found = set()
        for placement in self.of_type("placement"):
            if placement["expected"] == "none" or self.trap_host in placement["page"]:
                continue
            found.add((placement["final"] or placement["page"], placement["list_id"]))
        return found

    def reset_hits(self) -> None:
        with self.lock:
            self.hits.clear()


def start_sandbox(folder: Path, *, seed: int = SEED, images: int = IMAGES) -> SandboxWeb:
    from sentinelle.sandbox import HostileSettings, SandboxThread, build_world, export_files

    # A slow drip of 0.1 s a byte and a 2 GiB file are the real traps; smaller bombs keep
    # the sandbox's own work short.
    world = build_world(seed, images=images, settings=HostileSettings(gzip_bomb_bytes=64 * 1024**2))
    thread = SandboxThread(world, log_folder=folder / "takedowns")
    sandbox = thread.sandbox
    web = SandboxWeb(thread, sandbox, folder, [])
    handle = sandbox._handle

    async def counting(request: Any) -> Any:
        with web.lock:
            web.hits[str(request.url)] += 1
        return await handle(request)

    sandbox._handle = counting  # the application is built at start, with this handler
    thread.start()
    files = export_files(sandbox, folder)
    web.records = [json.loads(line) for line in files.manifest.read_text().splitlines()]
    return web


# --- databases ---------------------------------------------------------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not k.startswith("SENTINELLE_")
    }
    env["SENTINELLE_SECRET_KEY"] = "test-only"
    env["SENTINELLE_REVIEW_KEY"] = "TGJPg4T9Jm2_N3Cz1b4IAaVhwtYyKc4nn8i4Lf6qyJ0="  # test-only
    env["PYTHONHASHSEED"] = "0"
    env.update(extra)
    return env


@dataclass
class Database:
    """A fresh, migrated database for one test: SQLite in ``data_dir`` or a PostgreSQL one."""

    data_dir: Path
    url: str | None = None

    def env(self, **extra: str) -> dict[str, str]:
        values = {"SENTINELLE_DATA_DIR": str(self.data_dir), **extra}
        if self.url:
            values["DATABASE_URL"] = self.url
        return clean_env(**values)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.url is None:
            with sqlite3.connect(self.data_dir / "sentinelle.sqlite3") as connection:
                return list(connection.execute(sql, params).fetchall())
        import psycopg

        with psycopg.connect(self.url) as connection:
            return list(connection.execute(sql.replace("?", "%s"), params).fetchall())

    def sightings(self) -> list[tuple[str, str, str | None, str]]:
        """(media SHA-256, media URL, page URL, run) of every sighting."""
        return [
            (row[0], row[1], row[2], row[3])
            for row in self.query(
                "SELECT m.sha256, s.url, p.url, s.run FROM sightings_sighting s "
                "JOIN sightings_media m ON m.id = s.media_id "
                "LEFT JOIN sightings_page p ON p.id = s.page_id"
            )
        ]

    def python(self, code: str) -> str:
        """Run ``code`` with Django set up on this database; its standard output."""
        prelude = "from sentinelle.cli.database import setup_django; setup_django()\n"
        done = subprocess.run(
            [sys.executable, "-c", prelude + code], env=self.env(), capture_output=True,
            text=True, timeout=120, check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout


def migrate(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sentinelle", "migrate"], env=env, capture_output=True,
        text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def sqlite_template(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    migrate(clean_env(SENTINELLE_DATA_DIR=str(folder)))
    return folder


def sqlite_database(template: Path, folder: Path) -> Database:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sentinelle.sqlite3", "sentinelle.sqlite3-wal", "sentinelle.sqlite3-shm"):
        if (template / name).exists():
            shutil.copy2(template / name, folder / name)
    return Database(folder)


def postgres_available() -> str | None:
    """None when the PostgreSQL at 127.0.0.1:5432 answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES, connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except Exception as exc:
        return f"PostgreSQL at 127.0.0.1:5432 is not reachable: {exc}"
    return None


def _admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(statement)


@dataclass
class PostgresTemplate:
    name: str
    folder: Path
    created: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, folder: Path) -> PostgresTemplate:
        name = f"sentinelle_crawl_tpl_{uuid.uuid4().hex[:8]}"
        _admin(f'CREATE DATABASE "{name}"')
        template = cls(name, folder)
        migrate(clean_env(SENTINELLE_DATA_DIR=str(folder), DATABASE_URL=template.url(name)))
        return template

    @staticmethod
    def url(name: str) -> str:
        return POSTGRES.rsplit("/", 1)[0] + f"/{name}"

    def database(self, folder: Path) -> Database:
        name = f"sentinelle_crawl_{uuid.uuid4().hex[:8]}"
        _admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        self.created.append(name)
        folder.mkdir(parents=True, exist_ok=True)
        return Database(folder, self.url(name))

    def drop(self) -> None:
        for name in [*self.created, self.name]:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- running the crawl command -------------------------------------------------------------------


@dataclass
class CrawlRun:
    returncode: int
    stdout: str
    stderr: str
    output: list[dict[str, Any]]
    report: dict[str, Any]

    @property
    def stats(self) -> dict[str, Any]:
        return dict(self.report.get("stats", {}))

    @property
    def summary(self) -> dict[str, Any]:
        return dict(self.report.get("summary", {}))

    def matches(self) -> set[tuple[str, str]]:
        return {(o["url"], m["id"]) for o in self.output for m in o["matches"]}


def command(args: Sequence[object]) -> list[str]:
    return [sys.executable, str(HERE), "crawl", *map(str, args)]


def crawl_env(db: Database, web: SandboxWeb | None, **extra: str) -> dict[str, str]:
    allow = {"SENTINELLE_EGRESS_ALLOW": web.allow} if web is not None else {}
    return db.env(**allow, **extra)


def crawl(
    db: Database,
    web: SandboxWeb | None,
    folder: Path,
    *args: object,
    env: dict[str, str] | None = None,
    timeout: float = CRAWL_TIMEOUT,
) -> CrawlRun:
    """Run the crawl command to its end, with ``--output`` and ``--stats`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    output, stats = folder / "output.jsonl", folder / "stats.json"
    done = subprocess.run(
        command([*args, "--output", output, "--stats", stats]),
        env=env or crawl_env(db, web), capture_output=True, text=True, timeout=timeout,
        check=False,
    )
    return CrawlRun(done.returncode, done.stdout, done.stderr, read_lines(output), _json(stats))


def read_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _json(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text())) if path.exists() else {}


def sandbox_args(web: SandboxWeb) -> list[object]:
    return ["--hosts-file", web.hosts, *FAST]


def start_crawl(db: Database, web: SandboxWeb, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(args), env=crawl_env(db, web), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_lines(path: Path, count: int, process: subprocess.Popen[str], timeout: float = 60) -> None:
    """Until ``path`` holds ``count`` lines (or the process ends)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().count("\n") >= count:
            return
        if process.poll() is not None:
            raise AssertionError(f"the crawl ended early: {process.communicate()[1][-3000:]}")
        time.sleep(0.02)
    raise AssertionError(f"{path} never reached {count} lines")


def stop(process: subprocess.Popen[str], how: int) -> tuple[int, str]:
    process.send_signal(how)
    try:
        _, stderr = process.communicate(timeout=CRAWL_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGUSR1)  # the harness dumps every thread's stack
        time.sleep(1)
        process.kill()
        try:
            _, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:  # its children hold the pipes
            stderr = "(no output: the crawl's children still hold its standard error)"
        raise AssertionError(f"the crawl did not stop: {stderr[-6000:]}") from None
    return process.returncode, stderr


KILL = signal.SIGKILL
INTERRUPT = signal.SIGINT


# --- fixtures (imported by the test modules) ------------------------------------------------


@pytest.fixture(scope="session")
def sandbox_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxWeb]:
    web = start_sandbox(tmp_path_factory.mktemp("sandbox"))
    yield web
    web.thread.stop()


@pytest.fixture(scope="session")
def sqlite_template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresTemplate]:
    problem = postgres_available()
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem} (required when CI=true)")
        pytest.skip(problem)
    template = PostgresTemplate.create(tmp_path_factory.mktemp("pg-template"))
    yield template
    template.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A fresh migrated database, on SQLite and again on PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_database(request.getfixturevalue("sqlite_template_dir"), tmp_path / "db")
    template: PostgresTemplate = request.getfixturevalue("postgres_template")
    return template.database(tmp_path / "db")


@pytest.fixture
def sqlite_db(sqlite_template_dir: Path, tmp_path: Path) -> Database:
    return sqlite_database(sqlite_template_dir, tmp_path / "db")


# --- the harness (a child process) ---------------------------------------------------------


def _main(argv: list[str]) -> int:
    import faulthandler

    from sentinelle.cli import crawl_command

    faulthandler.register(signal.SIGUSR1, all_threads=True)

    parser = argparse.ArgumentParser(prog="sentinelle")
    commands = parser.add_subparsers(required=True)
    crawl_command.add_parser(commands)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
