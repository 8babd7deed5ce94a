"""Settings every classification test runs with: a review key, the agreement rule's default."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

REVIEW_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def classification_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_LOGIN_MAX_FAILURES", "5")
    monkeypatch.setenv("SENTINELLE_REVIEW_KEY", REVIEW_KEY)
    for name in ("SENTINELLE_REVIEW_AGREEMENT", "SENTINELLE_REVIEW_VERIFIED_LIST",
                 "SENTINELLE_REVIEW_EXPOSURE_CAP_SECONDS", "SENTINELLE_FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
