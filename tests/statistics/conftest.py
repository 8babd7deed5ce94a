"""Settings every statistics test runs with."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def statistics_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_LOGIN_MAX_FAILURES", "5")
    monkeypatch.delenv("SENTINELLE_FORWARDED_ALLOW_IPS", raising=False)
