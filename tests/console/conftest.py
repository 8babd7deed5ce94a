"""Settings every console test runs with."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def console_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_LOGIN_MAX_FAILURES", "5")
    monkeypatch.setenv("SENTINELLE_TIPLINE_SUBMISSIONS_PER_HOUR", "100")
    monkeypatch.delenv("SENTINELLE_FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.delenv("SENTINELLE_EGRESS_ALLOW", raising=False)
