"""Every test gets its own index folder and a fresh per-process serving index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sentinelle.banks import serving


@pytest.fixture(autouse=True)
def serving_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SENTINELLE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.delenv("SENTINELLE_EGRESS_ALLOW", raising=False)
    monkeypatch.setenv("SENTINELLE_API_RATE_PER_MINUTE", "100000")
    monkeypatch.setenv("SENTINELLE_API_RECORD_BATCH", "1")  # records written in the test's transaction
    monkeypatch.setattr(serving, "_default", serving.ServingIndex(check_every=0))
    yield tmp_path / "index" / "serving"
