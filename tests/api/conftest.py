"""Settings every API test runs with: known limits, no Redis (the database cache)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def api_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # each test its own index folder: a serving index published here must not make a later
    # test of this worker (the scheduler's tests) see a stale index to rebuild
    monkeypatch.setenv("SENTINELLE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("SENTINELLE_API_RATE_PER_MINUTE", "1000")
    monkeypatch.setenv("SENTINELLE_API_MAX_BODY_BYTES", "65536")
    monkeypatch.setenv("SENTINELLE_API_RECORD_BATCH", "1")  # records written in the test's transaction
    monkeypatch.setenv("SENTINELLE_API_REPORT_MAX_URLS", "5")
    monkeypatch.setenv("SENTINELLE_NOTICE_FROM", "Hotline Test <notices@hotline.example>")
    monkeypatch.setenv("SENTINELLE_NOTICE_ORG", "Hotline Test")
    monkeypatch.setenv("SENTINELLE_PUBLIC_URL", "https://hotline.example")
    monkeypatch.delenv("SENTINELLE_EGRESS_ALLOW", raising=False)
