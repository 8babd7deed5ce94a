"""Settings every response test runs with."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def response_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_NOTICE_FROM", "Hotline Test <notices@hotline.example>")
    monkeypatch.setenv("SENTINELLE_NOTICE_ORG", "Hotline Test")
    monkeypatch.setenv("SENTINELLE_PUBLIC_URL", "https://hotline.example")
    monkeypatch.setenv("SENTINELLE_RESPONSE_LINK_DAYS", "90")
    monkeypatch.delenv("SENTINELLE_FORWARDED_ALLOW_IPS", raising=False)
