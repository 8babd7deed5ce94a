"""Fixtures for tests that use the site as a person would: the real ``sentinelle serve`` on a
free loopback port (fresh SQLite database), and Debian's Chromium driven by Playwright.

Without Chromium (or the playwright package) these tests skip with the reason, except under
CI=true, where they fail: .ci/run installs Chromium. No browser is ever downloaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Site, chromium_path, unavailable

from support.cli import clean_env, run_cli
from support.serving import served


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``sentinelle serve`` on a migrated SQLite database, for the tests of one module."""
    folder = tmp_path_factory.mktemp("site")
    env = clean_env(str(folder / "data"))
    env["SENTINELLE_TIPLINE_SUBMISSIONS_PER_HOUR"] = "1000"
    migrated = run_cli("migrate", env=env)
    assert migrated.returncode == 0, migrated.stderr
    with served(env, folder / "serve.log", workers=2) as (url, _):
        yield Site(url, env, folder / "serve.log")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium (Debian's), shared by one module's tests. Not by the session:
    Playwright's synchronous API keeps an asyncio loop running in this thread while it is
    started, and a later test of another module calling ``asyncio.run`` in the same worker
    would fail."""
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e .[dev])")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh browser tab with its own cookies."""
    context = chromium.new_context(viewport={"width": 1000, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()
