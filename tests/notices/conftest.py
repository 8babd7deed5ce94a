"""Fixtures for the notice tests: settings, a real SMTP sink on loopback, actors, the sandbox
web with its registries, and a clock the tests move."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from notices_support import LEGAL_BASIS, SECRET, SECRET_NAME
from rechecks_support import START, SandboxWorld, start_world

from sentinelle import clock as clocks
from sentinelle.audit.services import Actor
from sentinelle.sandbox.mailsink import MailSink


@pytest.fixture(autouse=True)
def notice_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Known notice settings for every test; no mail server unless a test asks for the sink."""
    secrets = tmp_path / "webhook-secrets"
    secrets.write_text(f"# name=secret\nother.hook=not-this-one-0123456789\n{SECRET_NAME} = {SECRET}\n")
    monkeypatch.setenv("SENTINELLE_WEBHOOK_SECRETS", str(secrets))
    for name, value in {
        "SENTINELLE_NOTICE_FROM": "Hotline Test <notices@hotline.example>",
        "SENTINELLE_NOTICE_ORG": "Hotline Test",
        "SENTINELLE_NOTICE_WINDOW_MINUTES": "1440",
        "SENTINELLE_LEGAL_BASIS_CSAM": LEGAL_BASIS,
        "SENTINELLE_NOTICE_TIMEOUT": "5",
        "SENTINELLE_NOTICE_CLAIM_SECONDS": "60",
        "SENTINELLE_NOTICE_RETRY_BASE_SECONDS": "60",
        "SENTINELLE_NOTICE_RETRY_CAP_SECONDS": "600",
        "SENTINELLE_NOTICE_MAX_ATTEMPTS": "5",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("SENTINELLE_SMTP_URL", "SENTINELLE_LEGAL_BASIS_HARMFUL", "SENTINELLE_XARF_CSAM_CLASSIFICATION",
                 "SENTINELLE_RECHECK_HOURS", "SENTINELLE_ESCALATE_AFTER", "SENTINELLE_ESCALATION_POLICY",
                 "SENTINELLE_NOTIFY_REGISTRAR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sink(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailSink]:
    """A real SMTP server on loopback that notices are sent through."""
    with MailSink() as server:
        monkeypatch.setenv("SENTINELLE_SMTP_URL", server.url)
        yield server


@pytest.fixture
def operator() -> Actor:
    return Actor.user("operator-1")


@pytest.fixture
def system() -> Actor:
    return Actor.system("matcher")


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxWorld]:
    """The sandbox web (sites, takedown desks, RDAP registries, ASN file) for the session."""
    running = start_world(tmp_path_factory.mktemp("sandbox-web"))
    yield running
    running.thread.stop()


@pytest.fixture
def sandbox_env(world: SandboxWorld, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxWorld]:
    """Settings and wiring pointing at the sandbox: its resolver for attribution and rechecks,
    its ports allowed through the egress guard; the registries back to their start state."""
    from sentinelle.notices import wiring

    for name, value in world.env().items():
        monkeypatch.setenv(name, value)
    world.reset_registries()
    previous = wiring.install(wiring.Wiring(world.sandbox.resolver))
    yield world
    wiring.install(previous)
    world.reset_registries()


@pytest.fixture
def clock() -> Iterator[clocks.ManualClock]:
    """A clock installed for the test (notices, rechecks, the scheduler read it); moved by hand."""
    with clocks.using(clocks.ManualClock(START)) as manual:
        yield manual


@pytest.fixture
def run_worker(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``run_worker(mode)``: the worker loop in this process (scheduler and tasks) until idle or
    once; the rows it reports. The task runner recycles database connections between tasks
    (right for a worker process), which would close the test's transaction: kept open here,
    as Django's test client does. The real worker process runs in the CLI tests."""
    import django_tasks_db.management.commands.db_worker as db_worker

    from sentinelle.worker.runner import Mode, WorkerLoop
    from sentinelle.worker.scheduler import Scheduler
    from sentinelle.worker.sources import due_work

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run(mode: Mode = Mode.UNTIL_IDLE) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        WorkerLoop(Scheduler(due_work()), worker_id="test-worker", poll=0.01, mode=mode, on_task=rows.append).run()
        return rows

    return run
