"""The item that flows through the crawler's pipelines: one fetched media file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sentinelle.crawl.hashing_pool import HashedMedia
from sentinelle.crawl.visits import MediaFetch


@dataclass(eq=False)
class MediaItem:
    """A media file's bytes and where they came from; the pipelines fill in the rest.

    ``url`` is where the bytes answered (after redirects); for a ``data:`` URI it is the
    page's URL. The bytes never leave the crawler: the pipelines hash them, and only unknown
    media on a confirmed page are kept (encrypted, in the review store).
    """

    fetch: MediaFetch
    data: bytes
    url: str
    status: int
    ip: str | None
    seen_at: datetime
    mime: str = ""
    hashed: HashedMedia | None = None

    def __repr__(self) -> str:  # Scrapy logs items: never their bytes
        return f"<media {self.url} ({len(self.data)} bytes, {self.mime or 'not sniffed'})>"
