"""Settings every account test runs with: small limits, no proxy trusted."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def account_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("SENTINELLE_LOGIN_CLIENT_MAX_FAILURES", "8")
    monkeypatch.setenv("SENTINELLE_LOGIN_LOCK_MINUTES", "15")
    monkeypatch.delenv("SENTINELLE_FORWARDED_ALLOW_IPS", raising=False)
