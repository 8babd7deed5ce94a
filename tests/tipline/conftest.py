"""Settings every tipline test runs with."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def tipline_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_TIPLINE_SUBMISSIONS_PER_HOUR", "10")
    monkeypatch.setenv("SENTINELLE_TIPLINE_CONTACT_RETENTION_DAYS", "30")
    monkeypatch.delenv("SENTINELLE_FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.delenv("SENTINELLE_EGRESS_ALLOW", raising=False)
