"""The Redis at 127.0.0.1:6379 for tests that need one: a client, or the test skips with the
reason (fails under CI=true, where an absent service must fail the run)."""

from __future__ import annotations

import os
from typing import Any

import pytest

REDIS = "redis://127.0.0.1:6379/0"


def reachable_redis() -> Any:
    """A connected ``redis.Redis`` client, or skip (fail when CI=true) saying why not."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS, socket_connect_timeout=3)
        client.ping()
    except Exception as exc:
        problem = f"Redis at 127.0.0.1:6379 is not reachable: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem} (required when CI=true)")
        pytest.skip(problem)
    return client
