"""Settings every referral test runs with."""

from __future__ import annotations

import pytest

from support.notice_builders import NOTICE_SETTINGS


@pytest.fixture(autouse=True)
def referral_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in NOTICE_SETTINGS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SENTINELLE_LOGIN_MAX_FAILURES", "5")
    for name in ("SENTINELLE_SMTP_URL", "SENTINELLE_FORWARDED_ALLOW_IPS", "SENTINELLE_RECHECK_HOURS"):
        monkeypatch.delenv(name, raising=False)
