"""The fleet's Redis keys, all under ``SENTINELLE_REDIS_PREFIX`` (one place).

=========================================  ===================================================
key (after ``<prefix>sentinelle:``)         holds
=========================================  ===================================================
``requests``                               the shared page queue (scrapy-redis, JSON)
``dupefilter``                             fingerprints of the pages admitted (a set)
``pages:<crawl>``                          page counts: ``""`` all pages, ``host:<host>`` one
                                           host's (a hash; ``--max-pages``, ``--max-pages-per-host``)
``media:<crawl>``                          media URL key -> its shared result (a hash, JSON)
``lease:<crawl>:<sha1 of the URL key>``    the member fetching that URL (``SET NX PX``)
``member:<id>``                            a live member's heartbeat (``PX``)
``members``                                the members that may hold pages (a set)
``inflight:<id>``                          pages a member took from the queue and is doing
``run:<crawl>``                            the fleet crawl's run label (the first member's)
``review:<id>``                            review requests for the member holding the bytes
``reviewed:<id>``                          SHA-256 -> the answer to a review request (a hash)
=========================================  ===================================================
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class FleetKeys:
    prefix: str
    spider: str = "sentinelle"

    @property
    def base(self) -> str:
        return f"{self.prefix}{self.spider}:"

    @property
    def dupefilter(self) -> str:
        return f"{self.base}dupefilter"

    def pages(self, crawl: str) -> str:
        return f"{self.base}pages:{crawl}"

    def media(self, crawl: str) -> str:
        return f"{self.base}media:{crawl}"

    def lease(self, crawl: str, key: str) -> str:
        digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()
        return f"{self.base}lease:{crawl}:{digest}"

    @property
    def queue(self) -> str:
        return f"{self.base}requests"

    @property
    def members(self) -> str:
        return f"{self.base}members"

    def member(self, member: str) -> str:
        return f"{self.base}member:{member}"

    def inflight(self, member: str) -> str:
        return f"{self.base}inflight:{member}"

    def run(self, crawl: str) -> str:
        return f"{self.base}run:{crawl}"

    def inbox(self, member: str) -> str:
        return f"{self.base}review:{member}"

    def replies(self, member: str) -> str:
        return f"{self.base}reviewed:{member}"


def member_id() -> str:
    """This process's name in the fleet: host, process id and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
