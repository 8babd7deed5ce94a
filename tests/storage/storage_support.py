"""Helpers for the storage tests: benign pictures, audit look-ups, work on other connections."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.db import connection

from sentinelle.audit.models import AuditEvent
from support.pictures import draw_picture, encode

T = TypeVar("T")

#: A fixed moment the tests count from.
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def picture(seed: int, format: str = "JPEG", size: tuple[int, int] = (160, 120)) -> bytes:
    """A benign drawn picture (gradient and shapes), encoded."""
    return encode(draw_picture(seed, size), format)


def events(action: str, target_id: object = None) -> list[AuditEvent]:
    found = AuditEvent.objects.filter(action=action)
    if target_id is not None:
        found = found.filter(target_id=str(target_id))
    return list(found.order_by("seq"))


def on_postgresql() -> bool:
    return bool(connection.vendor == "postgresql")


class Rollback(Exception):
    """Raised to undo a transaction on purpose (its audit events must not outlive a test)."""


def in_thread(work: Callable[[], T], timeout: float = 30) -> T:
    """Run ``work`` on its own thread, hence its own database connection; return its result."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed back to the test's thread
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError("work on the other connection did not finish")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]
