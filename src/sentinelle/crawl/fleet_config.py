"""A fleet member's configuration: its settings, read once, as Scrapy settings.

With ``SENTINELLE_REDIS_URL`` set, :func:`fleet_settings` checks that the Redis answers
(:class:`FleetUnavailable` otherwise: the command exits with status 3 and says why) and
returns the Scrapy settings that make this process a member of the fleet
(:class:`.fleet.FleetScheduler`, the shared queue, the page filter, JSON serialization).
"""

from __future__ import annotations

from typing import Any, Final

from redis.exceptions import RedisError

from sentinelle.config import ConfigurationError, integer, setting
from sentinelle.crawl.exceptions import CrawlError

URL_SETTING: Final = "SENTINELLE_REDIS_URL"
PREFIX_SETTING: Final = "SENTINELLE_REDIS_PREFIX"
LEASE_SETTING: Final = "SENTINELLE_FLEET_LEASE_SECONDS"
#: The Scrapy settings carrying the prefix and the lease to the scheduler.
PREFIX_KEY: Final = "FLEET_PREFIX"
LEASE_KEY: Final = "FLEET_LEASE_SECONDS"


class FleetUnavailable(CrawlError):
    """The fleet's Redis cannot be used (unreachable, or a URL that is not Redis's)."""


def fleet_settings(
    url: str | None = None, prefix: str | None = None, *, check: bool = True
) -> dict[str, Any]:
    """The Scrapy settings of a fleet member; ``{}`` when no Redis is configured. With
    ``check``, :class:`FleetUnavailable` when the Redis does not answer."""
    url = url if url is not None else setting(URL_SETTING)
    if not url:
        return {}
    prefix = prefix if prefix is not None else (setting(PREFIX_SETTING) or "")
    try:
        lease = integer(LEASE_SETTING, minimum=1)
    except ConfigurationError as error:
        raise FleetUnavailable(str(error)) from None
    if check:
        _ping(url)
    return {
        "SCHEDULER": "sentinelle.crawl.fleet.FleetScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "sentinelle.crawl.fleet_queue.SharedQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}%(spider)s:dupefilter",
        "SCHEDULER_SERIALIZER": "sentinelle.crawl.redis_json",
        "SCHEDULER_PERSIST": True,  # never flush the shared queue when one member stops
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "REDIS_URL": url,
        PREFIX_KEY: prefix,
        LEASE_KEY: lease,
    }


def _ping(url: str) -> None:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
        try:
            client.ping()
        finally:
            client.close()
    except (RedisError, ValueError) as error:  # the message names the host, never a password
        raise FleetUnavailable(f"the fleet's Redis ({URL_SETTING}) cannot be used: {error}") from None
