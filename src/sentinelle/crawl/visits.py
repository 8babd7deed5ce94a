"""The crawler's working state: crawls, page visits, media fetches (plain data, in memory).

* A :class:`Crawl` is one seed set (the command line's URLs) or one queued crawl request:
  its run label (the sighting keys' ``run``), its :class:`~.scope.Frontier`, its media.
* A :class:`Visit` is one page being processed. It is *finished* when its HTML has been
  read and every media, stylesheet and frame it holds has been fetched, hashed, matched and
  recorded (``pending`` counts what is still out). Only then is it known whether a
  confirmed match was recorded on it, and only then are its links followed.
* A :class:`MediaFetch` is one media URL of one crawl, fetched once: pages that reference
  a URL already fetched (or being fetched) wait for that fetch and reuse its outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sentinelle.crawl.hashing_pool import HashedMedia
from sentinelle.crawl.scope import Frontier


@dataclass(eq=False)
class Crawl:
    id: str
    run: str
    frontier: Frontier
    request_pk: int | None = None
    open_pages: int = 0
    media: dict[str, MediaFetch] = field(default_factory=dict)
    #: Why the seed could not be fetched, and whether trying later may help.
    seed_failure: tuple[str, bool] | None = None
    started: bool = False
    #: A page of it could not be fully written to the database (it is not journaled).
    unrecorded: bool = False


@dataclass(eq=False)
class Visit:
    crawl: Crawl
    url: str
    depth: int
    #: The confirmed page whose link led here (None for a seed).
    referrer: str | None
    final_url: str | None = None
    status: int | None = None
    pending: int = 1
    confirmed: bool = False
    links: list[str] = field(default_factory=list)
    media_keys: set[str] = field(default_factory=set)
    #: Unknown media seen on this page: SHA-256 -> the URL it answered at (for review).
    unknown: dict[str, str] = field(default_factory=dict)
    #: Bytes fetched again for review when the buffer no longer held them.
    refetched: dict[str, bytes] = field(default_factory=dict)
    reviewing: bool = False
    finished: bool = False
    #: Something on the page could not be written to the database: not journaled, so a
    #: resumed crawl does the page again.
    unrecorded: bool = False
    #: Keys of the URLs this visit was redirected through (a retried hop is no duplicate).
    hops: set[str] = field(default_factory=set)

    @property
    def page_url(self) -> str:
        return self.final_url or self.url


@dataclass(frozen=True, eq=False)
class Use:
    """A page waiting for a media fetch; ``page_url`` is the sighting's page (None: direct)."""

    visit: Visit
    page_url: str | None


@dataclass(frozen=True)
class MediaOutcome:
    """A fetched, hashed and matched media file (no bytes)."""

    hashed: HashedMedia
    url: str
    status: int
    ip: str | None
    seen_at: datetime


@dataclass(eq=False)
class MediaFetch:
    crawl: Crawl
    url: str
    uses: list[Use] = field(default_factory=list)
    outcome: MediaOutcome | None = None
    failed: str | None = None
    #: The fetch of the same crawl this one was redirected into (it then stopped).
    merged: MediaFetch | None = None

    def current(self) -> MediaFetch:
        fetch = self
        while fetch.merged is not None:
            fetch = fetch.merged
        return fetch
