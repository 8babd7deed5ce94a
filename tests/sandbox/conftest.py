"""One small world served for the whole session (read-only tests share it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sentinelle.sandbox import Sandbox, SandboxThread, World, build_world

SEED = 20_260_601


@pytest.fixture(scope="session")
def world() -> World:
    return build_world(SEED, images=60)


@pytest.fixture(scope="session")
def sandbox(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The session's running sandbox. Tests that take things down start their own."""
    folder: Path = tmp_path_factory.mktemp("sandbox-logs")
    with SandboxThread(world, log_folder=folder) as running:
        yield running
