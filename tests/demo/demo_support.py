"""Reading what a demo run left: its summary, its database (read-only SQL), its files."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sentinelle.demo.plan import DemoPlan
from sentinelle.sandbox import Provider, World


@dataclass(frozen=True)
class DemoRun:
    folder: Path
    summary: dict[str, Any]
    stderr: str
    env: dict[str, str]

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with sqlite3.connect(f"file:{self.folder / 'sentinelle.sqlite3'}?mode=ro", uri=True) as db:
            return list(db.execute(sql, params))

    def recipient(self, slug: str) -> dict[str, Any]:
        [row] = [r for r in self.summary["recipients"] if r["slug"] == slug]
        return row


def world() -> World:
    """The demo's world (the default plan), to know which provider plays which part."""
    return DemoPlan().world()


def provider(action: str) -> Provider:
    return next(p for p in world().providers if p.policy.action == action)
