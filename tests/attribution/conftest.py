"""Fixtures for the attribution tests: the sandbox internet (registries, CDN, ASN file) on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from attribution_support import SandboxInternet, migrated_template, start_internet

from sentinelle.audit.services import Actor


@pytest.fixture(scope="session")
def internet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInternet]:
    running = start_internet(tmp_path_factory.mktemp("internet"))
    yield running
    running.thread.stop()


@pytest.fixture
def sandbox_env(internet: SandboxInternet, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxInternet]:
    """Settings pointing at the sandbox; every registry back to its start state afterwards."""
    for name, value in internet.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SENTINELLE_NOTIFY_REGISTRAR", raising=False)
    internet.reset_registries()
    yield internet
    internet.reset_registries()


@pytest.fixture
def make_attributor(sandbox_env: SandboxInternet) -> Callable[..., Any]:
    """``make_attributor(**options)``: an attributor assembled from the settings, as in production."""
    from sentinelle.attribution.wiring import build_attributor

    def make(**options: Any) -> Any:
        return build_attributor(sandbox_env.sandbox.resolver, **options)

    return make


@pytest.fixture
def attributor(make_attributor: Callable[..., Any], db: None) -> Any:
    return make_attributor()


@pytest.fixture
def operator() -> Actor:
    return Actor.user("operator-1")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("attribution-db-template"))
