"""Settings every management-page test runs with: the anchor in a temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def manage_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SENTINELLE_LOGIN_MAX_FAILURES", "5")
    monkeypatch.delenv("SENTINELLE_FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.delenv("SENTINELLE_EGRESS_ALLOW", raising=False)
    anchor = tmp_path / "anchor.jsonl"
    monkeypatch.setenv("SENTINELLE_AUDIT_ANCHOR", str(anchor))
    return anchor
