"""Expired sessions are deleted by the worker's scheduler (they may hold a receipt code)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from sentinelle.accounts.session_purge import EVERY, ExpiredSessions
from sentinelle.worker.scheduler import Scheduler
from sentinelle.worker.sources import due_work

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _session(expires: datetime) -> str:
    store = SessionStore()
    store["tipline_receipt"] = {"reference": "TL-TEST-0001", "code": "not-a-real-code"}
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expires)
    return str(store.session_key)


def test_only_expired_sessions_go_and_at_most_once_every_ten_minutes() -> None:
    old = _session(NOW - timedelta(seconds=1))
    current = _session(NOW + timedelta(hours=1))
    source = ExpiredSessions()
    assert source.enqueue_due(NOW, 100) == 1
    assert set(Session.objects.values_list("session_key", flat=True)) == {current}
    assert old != current
    later = _session(NOW)  # expires now: gone at the next run, not before it is due
    assert source.enqueue_due(NOW + EVERY - timedelta(seconds=1), 100) == 0
    assert Session.objects.filter(session_key=later).exists()
    assert source.enqueue_due(NOW + EVERY, 100) == 1
    assert not Session.objects.filter(session_key=later).exists()


def test_the_worker_runs_it() -> None:
    _session(NOW - timedelta(days=1))
    assert Scheduler(due_work()).tick(NOW)["expired-sessions"] == 1
    assert not Session.objects.exists()
