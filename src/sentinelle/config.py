"""Every setting sentinelle reads from the environment, in one registry.

Settings come from environment variables only (``SENTINELLE_*`` and ``DATABASE_URL``).
Each is declared here once, with its default and its meaning; ``docs/settings.md``
documents every one of them, and a test fails when a setting is read anywhere
without being declared here or documented there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sentinelle.exceptions import SentinelleError


class ConfigurationError(SentinelleError):
    """A setting has a value sentinelle cannot use."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


SETTINGS: Final[dict[str, Setting]] = {
    s.name: s
    for s in (
        Setting(
            "SENTINELLE_DATA_DIR",
            "sentinelle-data",
            "Folder for the SQLite database, generated keys, the audit anchor and saved "
            "indexes (relative paths are from the working directory).",
        ),
        Setting(
            "DATABASE_URL",
            None,
            "Database to use, e.g. postgres://user@127.0.0.1:5432/sentinelle. Unset: SQLite "
            "(WAL mode) at $SENTINELLE_DATA_DIR/sentinelle.sqlite3.",
        ),
        Setting(
            "SENTINELLE_SECRET_KEY",
            None,
            "Django's secret key. Unset: generated once into $SENTINELLE_DATA_DIR/secret.key "
            "(mode 0600). Set it in production.",
        ),
        Setting("SENTINELLE_DEBUG", "false", "Django debug mode (true/false). Never in production."),
        Setting(
            "SENTINELLE_ALLOWED_HOSTS",
            "localhost,127.0.0.1",
            "Comma-separated host names the web server answers to.",
        ),
        Setting(
            "SENTINELLE_AUDIT_ANCHOR",
            None,
            "File the audit chain's head is appended to (outside the database). Unset: "
            "$SENTINELLE_DATA_DIR/audit-anchor.jsonl.",
        ),
        Setting(
            "SENTINELLE_AUDIT_ANCHOR_EVERY",
            "1",
            "Write the chain head to the anchor after this many audit events (1 = every event).",
        ),
        Setting(
            "SENTINELLE_REVIEW_KEY",
            None,
            "Key(s) for review media at rest: Fernet keys (32 bytes, urlsafe base64), comma-"
            "separated for rotation: the first encrypts, all decrypt. Unset: a development key "
            "generated once into $SENTINELLE_DATA_DIR/review.key (mode 0600), with a warning.",
        ),
        Setting(
            "SENTINELLE_REVIEW_RETENTION_DAYS",
            "30",
            "Days review media bytes are kept before the retention job deletes them.",
        ),
        Setting(
            "SENTINELLE_EGRESS_ALLOW",
            "",
            "Exceptions to the crawler's egress guard: comma-separated CIDR:PORT entries (e.g. "
            "127.1.0.0/16:8080) the crawler may reach although they are private or loopback. "
            "Only the sandbox web and tests need it; never stored in the database.",
        ),
        Setting(
            "SENTINELLE_REDIS_URL",
            None,
            "Redis for a crawler fleet (e.g. redis://10.0.0.5:6379/0): crawler processes with "
            "the same URL and prefix share one frontier and duplicate filter (scrapy-redis, "
            "JSON). Unset: each crawler process crawls on its own.",
        ),
        Setting(
            "SENTINELLE_REDIS_PREFIX",
            "sentinelle:",
            "Prefix of the fleet's Redis keys: one prefix per fleet (crawl) sharing a Redis.",
        ),
        Setting(
            "SENTINELLE_INDEX_DIR",
            None,
            "Folder for the saved matching index. Unset: $SENTINELLE_DATA_DIR/index.",
        ),
    )
}


def setting(name: str) -> str | None:
    """The value of a declared setting: the environment's, or its default."""
    declared = SETTINGS[name]
    return os.environ.get(name, declared.default)


def flag(name: str) -> bool:
    value = (setting(name) or "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name} must be true or false, got {value!r}")


def integer(name: str, *, minimum: int = 0) -> int:
    value = setting(name) or ""
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {number}")
    return number


def data_dir() -> Path:
    return Path(setting("SENTINELLE_DATA_DIR") or "sentinelle-data").resolve()


def path_setting(name: str, default_name: str) -> Path:
    """A path setting whose default lives in the data folder."""
    value = setting(name)
    return Path(value).resolve() if value else data_dir() / default_name
