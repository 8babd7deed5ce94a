"""The crawler's downloader middlewares, each doing one thing, and where they sit.

Requests pass them from the lowest number up, answers from the highest down:

=====  =====================================  ===============================================
order  middleware                             does
=====  =====================================  ===============================================
30     :class:`RedirectDedupeMiddleware`      a redirect hop back to a URL of the same chain
                                              stops (``dropped/redirect-loop``); a hop to a
                                              page or media URL the crawl fetches anyway
                                              stops there (the pages waiting for it wait for
                                              the other fetch)
40     :class:`DoNotActMiddleware`            never fetches a URL, or a URL on a host, that
                                              the do-not-act list names (``dropped/donotact``)
60     :class:`SizeCapMiddleware`             gives each request its size cap (pages
                                              ``--max-page-bytes``, media ``--max-media-bytes``)
                                              and refuses an answer over it once decoded
100    Scrapy's robots.txt                    only with ``--robots obey``
550    Scrapy's retry                         ``--retries`` more tries for timeouts, lost
                                              connections, 5xx and 429 answers
590    Scrapy's decompression                 refuses to inflate past the request's size cap
600    Scrapy's redirects                     at most ``--max-redirects`` hops; each hop is a
                                              new request, so it passes all of these again
end    the egress download handler            resolves once, refuses non-public addresses,
                                              connects to the address it checked
=====  =====================================  ===============================================

A refusal raises :class:`~scrapy.exceptions.IgnoreRequest` whose message names the reason;
the request's errback counts it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from scrapy.exceptions import IgnoreRequest

from sentinelle.crawl.exceptions import InvalidUrl
from sentinelle.crawl.normalize import normalize_url
from sentinelle.crawl.recording import url_blocked
from sentinelle.crawl.spider import KEY, MEDIA, PAGE, ROLE

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

DOWNLOADER_MIDDLEWARES: Final = {
    "sentinelle.crawl.middlewares.RedirectDedupeMiddleware": 30,
    "sentinelle.crawl.middlewares.DoNotActMiddleware": 40,
    "sentinelle.crawl.middlewares.SizeCapMiddleware": 60,
    # Scrapy's that do nothing here, at a cost per request: the offsite filter (the
    # crawler's own scope decides; the spider names no allowed domains), HTTP auth (no
    # credentials are ever set) and the downloader/* byte and count stats (never read)
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
}
#: Scrapy's spider middlewares that do nothing here: depth (the crawler counts depth itself;
#: ``DEPTH_LIMIT`` is 0) and the meta-copy debugging check.
SPIDER_MIDDLEWARES: Final = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}


class RedirectDedupeMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectDedupeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        before = request.meta.get("redirect_urls")
        if not before:
            return
        if _key(request.url) in {_key(url) for url in before}:
            raise IgnoreRequest(f"redirect-loop: {request.url}")
        coordinator: Any = self.crawler.spider.coordinator  # type: ignore[union-attr]
        role, item = request.meta.get(ROLE), request.meta.get(KEY)
        if role == MEDIA and coordinator.redirected_media(item, request.url):
            raise IgnoreRequest(f"merged: {request.url}")
        if role == PAGE and coordinator.redirected_page(item, request.url):
            raise IgnoreRequest(f"merged: {request.url}")


def _key(url: str) -> str:
    try:
        return normalize_url(url).key
    except InvalidUrl:
        return url


class DoNotActMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DoNotActMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        spider: Any = self.crawler.spider
        if await spider.coordinator.database.read(url_blocked, request.url):
            spider.coordinator.stats.inc_value("donotact/url")
            raise IgnoreRequest(f"donotact: {request.url}")


class SizeCapMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.default = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SizeCapMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("download_maxsize", self.default)

    def process_response(self, request: Request, response: Response) -> Response:
        cap = int(request.meta.get("download_maxsize") or 0)
        if cap and len(response.body) > cap:
            raise IgnoreRequest(f"too-large: {len(response.body)} bytes over {cap}")
        return response
