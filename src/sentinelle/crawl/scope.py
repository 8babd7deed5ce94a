"""Which pages a crawl may visit: depth, scope, URL length, pages in all and per host.

:class:`Frontier` keeps one crawl's counts (a crawl is one seed set, or one queued
request) and answers :meth:`Frontier.admit` with ``None`` (visit it) or the reason it is
not visited, which is also the last part of its stats key ``links/<reason>``. Seeds are
checked for length, duplicates and the page caps, not for depth or scope.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Final

import tldextract

from sentinelle.crawl.exceptions import InvalidUrl
from sentinelle.crawl.normalize import NormalizedUrl, normalize_url
from sentinelle.crawl.options import CrawlOptions, Scope


class Skip(StrEnum):
    """Why a link is not visited (stats ``links/<reason>``)."""

    INVALID = "invalid"
    TOO_LONG = "too-long"
    DUPLICATE = "duplicate"
    DEPTH = "depth-limit"
    OUT_OF_SCOPE = "out-of-scope"
    PAGE_LIMIT = "page-limit"
    HOST_LIMIT = "host-limit"


@cache
def _extractor() -> tldextract.TLDExtract:
    # The list bundled with tldextract: never fetched from the network.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


_WWW: Final = "www."


def site_of(host: str, scope: Scope) -> str:
    """The part of ``host`` two pages must share to be in the same ``scope``."""
    if scope is Scope.ANY:
        return ""
    if scope is Scope.HOST:
        return host.removeprefix(_WWW)
    parts = _extractor()(host)
    return parts.top_domain_under_public_suffix or host.removeprefix(_WWW)


def in_scope(host: str, referrer_host: str, scope: Scope) -> bool:
    return site_of(host, scope) == site_of(referrer_host, scope)


@dataclass
class Frontier:
    """One crawl's visited pages and counts."""

    options: CrawlOptions
    seen: set[str] = field(default_factory=set)
    pages: int = 0
    per_host: Counter[str] = field(default_factory=Counter)

    def admit(
        self, url: str, *, depth: int, referrer: str | None
    ) -> tuple[NormalizedUrl | None, Skip | None]:
        """``(normalized, None)`` when the page is to be visited (and counts it), else the
        reason it is not."""
        if len(url) > self.options.max_url_length:
            return None, Skip.TOO_LONG
        try:
            page = normalize_url(url)
        except InvalidUrl:
            return None, Skip.INVALID
        if len(page.url) > self.options.max_url_length:
            return None, Skip.TOO_LONG
        if page.key in self.seen:
            return None, Skip.DUPLICATE
        if referrer is not None:
            if depth > self.options.depth:
                return None, Skip.DEPTH
            if not in_scope(page.host, normalize_url(referrer).host, self.options.scope):
                return None, Skip.OUT_OF_SCOPE
        if self.pages >= self.options.max_pages:
            return None, Skip.PAGE_LIMIT
        if self.per_host[page.host] >= self.options.max_pages_per_host:
            return None, Skip.HOST_LIMIT
        self.seen.add(page.key)
        self.pages += 1
        self.per_host[page.host] += 1
        return page, None

    def also_seen(self, url: str) -> None:
        """Where a visit ended after redirects: a later link there is a duplicate."""
        with contextlib.suppress(InvalidUrl):
            self.seen.add(normalize_url(url).key)
