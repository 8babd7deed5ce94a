"""Every setting is declared once and documented; nothing reads an undeclared one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sentinelle.config import SETTINGS, ConfigurationError, flag, integer

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"\b(SENTINELLE_[A-Z0-9_]+|DATABASE_URL)\b")


def test_every_declared_setting_is_documented() -> None:
    documented = (ROOT / "docs" / "settings.md").read_text()
    missing = [name for name in SETTINGS if f"`{name}`" not in documented]
    assert missing == [], f"document these in docs/settings.md: {missing}"


def test_code_reads_only_declared_settings() -> None:
    used: set[str] = set()
    for path in (ROOT / "src" / "sentinelle").rglob("*.py"):
        used |= set(NAME.findall(path.read_text()))
    assert used - set(SETTINGS) == set(), "declare these in sentinelle/config.py and docs/settings.md"


def test_bad_values_are_clear_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_DEBUG", "maybe")
    with pytest.raises(ConfigurationError, match="SENTINELLE_DEBUG must be true or false"):
        flag("SENTINELLE_DEBUG")
    monkeypatch.setenv("SENTINELLE_REVIEW_RETENTION_DAYS", "soon")
    with pytest.raises(ConfigurationError, match="whole number"):
        integer("SENTINELLE_REVIEW_RETENTION_DAYS")
    monkeypatch.setenv("SENTINELLE_AUDIT_ANCHOR_EVERY", "0")
    with pytest.raises(ConfigurationError, match="at least 1"):
        integer("SENTINELLE_AUDIT_ANCHOR_EVERY", minimum=1)
