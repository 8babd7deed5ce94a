"""The item pipelines, in order, each doing one thing to a fetched media file.

=====  ======================  ==============================================================
order  pipeline                does
=====  ======================  ==============================================================
100    :class:`SniffPipeline`  names the type from the bytes; anything but image, video or
                               audio is dropped (``dropped/not-media``)
200    :class:`HashPipeline`   hashes and matches in the process pool (digests, PDQ and its
                               dihedral variants, candidates confirmed on the reference path)
300    :class:`DoNotActPipeline` drops media whose hash the do-not-act list names
                               (``dropped/donotact-hash``): no sighting, no match, no review
400    :class:`StorePipeline`  records one sighting per page showing the file (with its
                               matches), buffers unknown media's bytes for review
=====  ======================  ==============================================================

A dropped item (:class:`~scrapy.exceptions.DropItem`, whose message is the reason) is
counted as ``dropped/<reason>`` by the spider's ``item_dropped`` handler, which also lets the
pages waiting for the file go on.
"""

from __future__ import annotations

import asyncio
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Final

from scrapy.exceptions import DropItem

from sentinelle.crawl.documents import is_media
from sentinelle.crawl.items import MediaItem
from sentinelle.crawl.recording import hash_blocked
from sentinelle.sightings.sniff import sniff_mime

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from sentinelle.crawl.coordinator import Coordinator
    from sentinelle.crawl.hashing_pool import HashingPool

PIPELINES: Final = {
    "sentinelle.crawl.pipelines.SniffPipeline": 100,
    "sentinelle.crawl.pipelines.HashPipeline": 200,
    "sentinelle.crawl.pipelines.DoNotActPipeline": 300,
    "sentinelle.crawl.pipelines.StorePipeline": 400,
}


class _Step:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    @property
    def coordinator(self) -> Coordinator:
        coordinator: Coordinator = self.crawler.spider.coordinator  # type: ignore[union-attr]
        return coordinator

    def count(self, key: str, value: int = 1) -> None:
        self.coordinator.stats.inc_value(key, value)


class SniffPipeline(_Step):
    def process_item(self, item: MediaItem) -> MediaItem:
        item.mime = sniff_mime(item.data)
        if not is_media(item.mime):
            raise DropItem("not-media")
        return item


class HashPipeline(_Step):
    """Hands the bytes to the process pool and awaits the answer without blocking."""

    async def process_item(self, item: MediaItem) -> MediaItem:
        pool: HashingPool = self.crawler.spider.pool  # type: ignore[union-attr]
        try:
            hashed = await asyncio.wrap_future(pool.submit(item.data))
        except BrokenProcessPool:
            self.count("errors/hashing-pool")
            raise DropItem("hashing-failed") from None
        item.hashed = hashed
        self.count("media/hashed")
        if hashed.pdq is not None:
            self.count("media/images")
        if hashed.problem is not None:
            self.count(f"media/problem/{hashed.problem.kind}")
        if hashed.matches:
            self.count("media/matched")
        return item


class DoNotActPipeline(_Step):
    async def process_item(self, item: MediaItem) -> MediaItem:
        assert item.hashed is not None
        blocked = await self.coordinator.database.read(hash_blocked, item.hashed)
        if blocked is not None:
            self.count(f"donotact/hash/{blocked}")
            raise DropItem("donotact-hash")
        return item


class StorePipeline(_Step):
    async def process_item(self, item: MediaItem) -> MediaItem:
        await self.coordinator.media_done(item)
        item.data = b""  # the bytes are let go here (unknown media's stay in the review buffer)
        return item
