"""Helpers for the browser tests (fixtures are in conftest.py): the served site, Chromium's
path, and axe-core's serious and critical violations."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser")


def unavailable(reason: str) -> None:
    """Skip with ``reason``; under CI=true, fail instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: required when CI=true")
    pytest.skip(reason)


def chromium_path() -> str:
    found = next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)
    if found is None:
        unavailable("Chromium is not installed (apt-get install chromium)")
    return str(found)


@dataclass
class Site:
    url: str  #: http://127.0.0.1:PORT/
    env: dict[str, str]
    log: Path


def accessibility_problems(tab: Any) -> list[str]:
    """axe-core's serious and critical violations on the tab's page (empty when none)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab)
    found = results.response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in found if v.get("impact") in ("serious", "critical")]


def shows(locator: Any, count: int) -> bool:
    """Whether ``locator`` comes to match ``count`` elements (retried for up to 10 s, as a
    click that submits a form or follows a link does not wait for the next page to load)."""
    from playwright.sync_api import expect

    expect(locator).to_have_count(count, timeout=10_000)
    return True
