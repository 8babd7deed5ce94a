"""What one crawl is told: limits, politeness, scope, resources. Every default lives here.

The command line (``sentinelle crawl``) fills a :class:`CrawlOptions`; nothing in the
crawler reads the environment for these (the egress allowlist is the one exception, read
by the egress guard). ``docs/crawl.md`` lists every field with its default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Final

from sentinelle import __version__
from sentinelle.hashing import DecodeLimits

MIB: Final = 1024 * 1024
USER_AGENT: Final = f"sentinelle/{__version__} (child-protection hotline crawler)"


class Scope(StrEnum):
    """Which links of a confirmed page are followed."""

    HOST = "host"  #: the same host name (a leading ``www.`` ignored)
    DOMAIN = "domain"  #: the same registrable domain (public suffix list, private part included)
    ANY = "any"  #: any host


class Expand(StrEnum):
    """Which pages have their links followed."""

    CONFIRMED = "confirmed"  #: pages where a confirmed match was recorded (DESIGN.md)
    ALL = "all"  #: every page (a survey of a site; limits still apply)


class Robots(StrEnum):
    IGNORE = "ignore"
    OBEY = "obey"


def _cores() -> int:
    return os.cpu_count() or 1


@dataclass(frozen=True)
class CrawlOptions:
    """Limits and behaviour of one crawl (per seed set, or per queued request)."""

    # what is followed
    depth: int = 2
    max_pages: int = 1_000
    max_pages_per_host: int = 200
    max_url_length: int = 2_048
    scope: Scope = Scope.DOMAIN
    expand: Expand = Expand.CONFIRMED
    frame_depth: int = 2
    # politeness and network
    robots: Robots = Robots.IGNORE
    concurrency: int = 32
    per_host: int = 2
    delay: float = 0.25
    timeout: float = 30.0
    retries: int = 2
    max_redirects: int = 10
    user_agent: str = USER_AGENT
    # sizes
    max_page_bytes: int = 10 * MIB
    max_media_bytes: int = DecodeLimits().max_bytes
    max_pixels: int = DecodeLimits().max_pixels
    # hashing and review
    hash_workers: int = field(default_factory=_cores)
    review: bool = True
    review_buffer: int = 64 * MIB
    # where the resumable state lives (None: not resumable)
    job_dir: Path | None = None

    def __post_init__(self) -> None:
        minimum = {
            "max_pages": 1,
            "max_pages_per_host": 1,
            "max_url_length": 16,
            "concurrency": 1,
            "per_host": 1,
            "max_page_bytes": 1024,
            "max_media_bytes": 1024,
            "max_pixels": 1,
            "hash_workers": 1,
            "max_redirects": 0,
            "depth": 0,
            "frame_depth": 0,
            "retries": 0,
            "review_buffer": 0,
        }
        for name, least in minimum.items():
            value = getattr(self, name)
            if value < least:
                raise ValueError(f"{name.replace('_', '-')} must be at least {least}, got {value}")
        if self.delay < 0 or self.timeout <= 0:
            raise ValueError("delay must be >= 0 and timeout > 0")

    @property
    def limits(self) -> DecodeLimits:
        return DecodeLimits(max_bytes=self.max_media_bytes, max_pixels=self.max_pixels)

    def describe(self) -> dict[str, object]:
        """The options as plain JSON values (for the job journal and the stats file)."""
        values: dict[str, object] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            values[item.name] = str(value) if isinstance(value, Path | StrEnum) else value
        return values
