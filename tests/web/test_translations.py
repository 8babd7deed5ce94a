"""The French catalogues: complete, and the compiled files shipped match their sources."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "sentinelle"
CATALOGUES = sorted(PACKAGE.glob("*/locale/*/LC_MESSAGES/django.po"))


def test_the_web_and_response_pages_have_french_catalogues() -> None:
    assert {p.relative_to(PACKAGE).parts[0] for p in CATALOGUES} >= {"web", "responses"}


@pytest.mark.parametrize("source", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_is_translated_and_the_shipped_mo_is_current(source: Path, tmp_path: Path) -> None:
    text = source.read_text()
    assert "#, fuzzy" not in text
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI") == "true":
            pytest.fail("msgfmt (GNU gettext) is required when CI=true")
        pytest.skip("msgfmt (GNU gettext) is not installed")
    fresh = tmp_path / "django.mo"
    made = subprocess.run([msgfmt, "--check", "--statistics", "-o", str(fresh), str(source)],
                          capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    assert "untranslated" not in made.stderr and "fuzzy" not in made.stderr, made.stderr
    shipped = source.with_suffix(".mo")
    assert shipped.exists(), f"compile it: (cd {source.parents[3]} && django-admin compilemessages)"
    with fresh.open("rb") as a, shipped.open("rb") as b:
        expected, actual = gettext.GNUTranslations(a), gettext.GNUTranslations(b)
    assert actual._catalog == expected._catalog, "the .mo is stale: run compilemessages"  # type: ignore[attr-defined]
    assert all(value for key, value in expected._catalog.items() if key)  # type: ignore[attr-defined]
