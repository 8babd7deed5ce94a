"""``sentinelle worker`` killed mid-send: the notice is sent again, same Message-ID, nothing lost.

The real command runs in a subprocess against a real database (SQLite, and PostgreSQL when it
answers) and a real SMTP server on loopback. The server holds the first message's DATA
without answering; the worker is killed with SIGKILL right then; a second worker, started
after, finds the claim expired and sends the notice again.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sentinelle.sandbox.mailsink import MailSink
from support.cli import clean_env, run_cli
from support.databases import migrated_database

HERE = Path(__file__).resolve().parent


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a fresh, migrated database."""
    with migrated_database(request.param, tmp_path, "sentinelle_notices") as env:
        yield env


def _worker(env: dict[str, str], name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sentinelle", "worker", "--poll", "0.2", "--name", name],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _show(env: dict[str, str], reference: str) -> dict[str, object]:
    shown = run_cli("notices", "show", reference, env=env)
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)  # type: ignore[no-any-return]


def test_a_worker_killed_mid_send_is_replaced_and_the_notice_still_goes_out(database: dict[str, str]) -> None:
    with MailSink() as sink:
        env = {
            **database,
            "SENTINELLE_SMTP_URL": sink.url,
            "SENTINELLE_NOTICE_FROM": "Hotline Test <notices@hotline.example>",
            "SENTINELLE_NOTICE_CLAIM_SECONDS": "3",
            "SENTINELLE_NOTICE_TIMEOUT": "30",
        }
        seeded = subprocess.run([sys.executable, str(HERE / "notices_seed.py"), '{"seeds": [1, 2]}'],
                                env=env, capture_output=True, text=True, timeout=120, check=False)
        assert seeded.returncode == 0, seeded.stderr
        notice = json.loads(seeded.stdout)

        sink.hold_next()
        first = _worker(env, "worker-killed")
        try:
            assert sink.wait_held(60), "the first worker never started sending"
            first.send_signal(signal.SIGKILL)  # mid-send: the server has the message, no answer yet
            assert first.wait(30) == -signal.SIGKILL
        finally:
            if first.poll() is None:
                first.kill()
        during = _show(env, notice["reference"])
        assert during["status"] == "sending"
        assert [(a["worker"], a["outcome"]) for a in during["attempts"]] == [("worker-killed", "")]  # type: ignore[union-attr]

        started = time.monotonic()
        second = _worker(env, "worker-2")
        try:
            received = sink.wait_for(2, timeout=60)
        finally:
            second.send_signal(signal.SIGTERM)
            out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err[-3000:]
        assert time.monotonic() - started >= 1  # it waited for the dead worker's claim to expire

    # At least once: the held copy (the server had all of it) and the resend. Same Message-ID,
    # same content, so the recipient can drop the duplicate.
    assert [m.message_id for m in received] == [notice["message_id"]] * 2
    assert received[0].message.get_body(("plain",)).get_content() == \
        received[1].message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert [a.get_content() for a in received[0].message.iter_attachments()] == \
        [a.get_content() for a in received[1].message.iter_attachments()]
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["task"], r["result"]) for r in rows if r["type"] == "task"] == [("deliver_notice", "sent")]
    assert rows[-1]["type"] == "summary" and rows[-1]["worker"] == "worker-2"
    after = _show(env, notice["reference"])
    assert after["status"] == "sent"
    assert [(a["number"], a["worker"], a["outcome"]) for a in after["attempts"]] == [  # type: ignore[union-attr]
        (1, "worker-killed", "interrupted"), (2, "worker-2", "sent"),
    ]
    verified = run_cli("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stdout


def test_sigterm_stops_an_idle_worker_cleanly(tmp_path: Path) -> None:
    env = clean_env(str(tmp_path / "data"))
    assert run_cli("migrate", env=env).returncode == 0
    worker = _worker(env, "worker-idle")
    assert worker.stderr is not None
    said = ""
    while "worker-idle started" not in said:  # the signal handlers are in place from here on
        line = worker.stderr.readline()
        assert line, f"the worker stopped before it started: {said}"
        said += line
    assert "notices will be LOGGED, NOT SENT" in said  # no SENTINELLE_SMTP_URL: said loudly
    time.sleep(0.5)  # a few idle scheduler passes
    worker.send_signal(signal.SIGTERM)
    out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "SIGTERM: stopping after the running task" in err
    summary = json.loads(out.splitlines()[-1])
    assert summary["type"] == "summary" and summary["tasks"] == 0 and summary["ticks"] >= 1


def test_the_worker_refuses_to_start_on_an_unusable_setup(tmp_path: Path) -> None:
    env = clean_env(str(tmp_path / "data"))
    unmigrated = run_cli("worker", "--once", env=env)
    assert unmigrated.returncode == 3 and "run `sentinelle migrate`" in unmigrated.stderr
    bad_url = run_cli("worker", "--once", env={**env, "SENTINELLE_SMTP_URL": "http://mail.example"})
    assert bad_url.returncode == 3 and "SENTINELLE_SMTP_URL must look like smtp://" in bad_url.stderr
    usage = run_cli("worker", "--poll", "0", env=env)
    assert usage.returncode == 2
