"""The Scrapy settings of a crawl, from :class:`.options.CrawlOptions` (one place)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sentinelle.crawl.egress_download import RESOLVER_SETTING, egress_settings
from sentinelle.crawl.fleet_config import fleet_settings
from sentinelle.crawl.middlewares import DOWNLOADER_MIDDLEWARES, SPIDER_MIDDLEWARES
from sentinelle.crawl.options import MIB, CrawlOptions, Robots
from sentinelle.crawl.pipelines import PIPELINES
from sentinelle.resolver import Resolver


def scrapy_settings(
    options: CrawlOptions,
    *,
    resolver: Callable[[], Resolver] | None = None,
    log_level: str = "ERROR",
) -> dict[str, Any]:
    settings: dict[str, Any] = {
        **egress_settings(),  # every download through the egress guard; ftp/s3/file off
        # politeness
        "ROBOTSTXT_OBEY": options.robots is Robots.OBEY,
        "CONCURRENT_REQUESTS": options.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": options.per_host,  # Scrapy's slots are per host
        "DOWNLOAD_DELAY": options.delay,
        "DOWNLOAD_DELAY_JITTER": 0.5,  # each delay x0.5-1.5
        "USER_AGENT": options.user_agent,
        "COOKIES_ENABLED": False,
        # limits
        "DOWNLOAD_TIMEOUT": options.timeout,
        "DOWNLOAD_MAXSIZE": max(options.max_page_bytes, options.max_media_bytes),
        "DOWNLOAD_WARNSIZE": 0,
        "DOWNLOAD_FAIL_ON_DATALOSS": True,
        "RETRY_ENABLED": options.retries > 0,
        "RETRY_TIMES": options.retries,
        "RETRY_GIVE_UP_LOG_LEVEL": "INFO",
        "REDIRECT_MAX_TIMES": options.max_redirects,
        "METAREFRESH_MAXDELAY": 0,  # <meta refresh> only when immediate, as a redirect
        "URLLENGTH_LIMIT": options.max_url_length,
        # the crawler de-duplicates and limits depth itself (per crawl, with replay)
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        "DEPTH_LIMIT": 0,
        # back-pressure: stop downloading while this many response bytes await the pipelines
        "SCRAPER_SLOT_MAX_ACTIVE_SIZE": 32 * MIB,
        # per response: Scrapy starts this many tasks for every response, and a media
        # response holds one item (a page's data: images are the only others)
        "CONCURRENT_ITEMS": 2,
        "ITEM_PIPELINES": PIPELINES,
        "DOWNLOADER_MIDDLEWARES": DOWNLOADER_MIDDLEWARES,
        "SPIDER_MIDDLEWARES": SPIDER_MIDDLEWARES,
        # nothing listens, nothing is cached
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "LOGSTATS_INTERVAL": 0,
    }
    settings.update(fleet_settings())  # SENTINELLE_REDIS_URL set: a member of a fleet
    if resolver is not None:
        settings[RESOLVER_SETTING] = resolver
    return settings
