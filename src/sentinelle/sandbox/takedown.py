"""Each provider's takedown desk: what it was asked to remove, what it did, and its log.

A desk removes a file, not a URL spelling: a removed ``/media/x.jpg`` is gone
with any query string. What it does follows the provider's policy (removes at
once, after a delay, never, or disputes). Everything is written to
``<log folder>/<provider slug>.jsonl``, one JSON object per line:

* ``{"event": "request", "time", "provider", "reference", "via", "urls", "results"}``
  for each request, ``results`` holding ``{"url", "action"}`` (and ``removes_at``);
* ``{"event": "removed", "time", "provider", "reference", "url"}`` when a URL goes;
* other events a caller notes (:meth:`TakedownDesk.note`), such as a responder's
  ``{"event": "answer", ...}`` to the notice that asked.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sentinelle.sandbox.providers import PolicyAction, Provider

Clock = Callable[[], float]


class TakedownAction(StrEnum):
    REMOVED = "removed"
    SCHEDULED = "scheduled"
    IGNORED = "ignored"
    DISPUTED = "disputed"
    ALREADY_REMOVED = "already-removed"
    NOT_HOSTED_HERE = "not-hosted-here"
    INVALID_URL = "invalid-url"


_POLICY_ACTIONS = {
    PolicyAction.IMMEDIATE: TakedownAction.REMOVED,
    PolicyAction.DELAYED: TakedownAction.SCHEDULED,
    PolicyAction.NEVER: TakedownAction.IGNORED,
    PolicyAction.DISPUTE: TakedownAction.DISPUTED,
}


def timestamp(seconds: float) -> str:
    """``2026-05-04T12:00:00.123Z``."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def file_key(url: str) -> tuple[str, str] | None:
    """(host, path) of an http URL, the query left out; None when it is not one."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip("."), parts.path or "/"


@dataclass(frozen=True)
class TakedownResult:
    url: str
    action: TakedownAction
    removes_at: float | None = None

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"url": self.url, "action": str(self.action)}
        if self.removes_at is not None:
            result["removes_at"] = timestamp(self.removes_at)
        return result


@dataclass(frozen=True)
class TakedownReceipt:
    provider: str
    reference: str
    results: tuple[TakedownResult, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "reference": self.reference,
            "results": [result.as_dict() for result in self.results],
        }


class TakedownDesk:
    """One provider's desk. Thread-safe: the servers and the caller's thread share it."""

    def __init__(
        self,
        provider: Provider,
        hosts: Iterable[str],
        log_folder: Path,
        *,
        clock: Clock = time.time,
    ) -> None:
        self.provider = provider
        self.hosts = frozenset(host.lower() for host in hosts)
        self.log_path = log_folder / f"{provider.slug}.jsonl"
        self._clock = clock
        self._lock = threading.Lock()
        self._removed: set[tuple[str, str]] = set()
        self._pending: dict[tuple[str, str], tuple[float, str, str]] = {}

    def receive(
        self, urls: Sequence[str], reference: str, *, via: str = "python"
    ) -> TakedownReceipt:
        """Act on a request to remove ``urls``, following the provider's policy."""
        with self._lock:
            now = self._clock()
            self._settle(now)
            results = tuple(self._act(url, reference, now) for url in urls)
            receipt = TakedownReceipt(self.provider.slug, reference, results)
            self._write(
                {
                    "event": "request",
                    "time": timestamp(now),
                    "provider": self.provider.slug,
                    "reference": reference,
                    "via": via,
                    "urls": list(urls),
                    "results": [r.as_dict() for r in results],
                }
            )
            for result in results:
                if result.action is TakedownAction.REMOVED:
                    self._log_removed(now, reference, result.url)
        return receipt

    def _act(self, url: str, reference: str, now: float) -> TakedownResult:
        key = file_key(url)
        if key is None:
            return TakedownResult(url, TakedownAction.INVALID_URL)
        if key[0] not in self.hosts:
            return TakedownResult(url, TakedownAction.NOT_HOSTED_HERE)
        if key in self._removed:
            return TakedownResult(url, TakedownAction.ALREADY_REMOVED)
        policy = self.provider.policy
        action = _POLICY_ACTIONS[policy.action]
        if action is TakedownAction.REMOVED:
            self._removed.add(key)
        elif action is TakedownAction.SCHEDULED:
            if key in self._pending:
                return TakedownResult(url, action, self._pending[key][0])
            due = now + policy.delay
            self._pending[key] = (due, reference, url)
            return TakedownResult(url, action, due)
        return TakedownResult(url, action)

    def note(self, event: str, reference: str, **details: Any) -> None:
        """Write a line of another kind to the log (a responder's answer to a notice, say)."""
        with self._lock:
            record = {"event": event, "time": timestamp(self._clock()), "provider": self.provider.slug,
                      "reference": reference}
            self._write({**record, **details})

    def is_gone(self, host: str, path: str) -> bool:
        key = (host.lower(), path or "/")
        with self._lock:
            if self._pending:
                self._settle(self._clock())
            return key in self._removed

    def settle(self) -> None:
        """Carry out the removals that are due (the servers call this now and then)."""
        with self._lock:
            self._settle(self._clock())

    def _settle(self, now: float) -> None:
        due = [(key, item) for key, item in self._pending.items() if item[0] <= now]
        for key, (when, reference, url) in sorted(due, key=lambda pair: pair[1][0]):
            del self._pending[key]
            self._removed.add(key)
            self._log_removed(when, reference, url)

    def _log_removed(self, when: float, reference: str, url: str) -> None:
        self._write(
            {
                "event": "removed",
                "time": timestamp(when),
                "provider": self.provider.slug,
                "reference": reference,
                "url": url,
            }
        )

    def _write(self, record: dict[str, Any]) -> None:
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record, separators=(",", ":")) + "\n")


def read_log(path: Path) -> list[dict[str, Any]]:
    """The records of a desk's log, oldest first (empty if it has none yet)."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
