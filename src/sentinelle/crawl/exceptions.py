"""Errors of the crawl frontier: bad requests, bad URLs, impossible status changes."""

from sentinelle.exceptions import SentinelleError


class CrawlError(SentinelleError):
    """Root of the crawl errors."""


class InvalidRequest(CrawlError):
    """A crawl request cannot be accepted as given (source, priority, due time)."""


class InvalidUrl(InvalidRequest):
    """The URL cannot be parsed, or is not one sentinelle crawls."""


class UnsupportedScheme(InvalidUrl):
    """The URL is not http or https."""


class UrlTooLong(InvalidUrl):
    """The URL is longer than :data:`sentinelle.crawl.normalize.MAX_URL_LENGTH`."""


class UnknownCrawlRequest(CrawlError):
    """No crawl request has that id."""


class InvalidTransition(CrawlError):
    """The request's status does not allow that change (finishing a queued request...)."""


class CrawlConflict(CrawlError):
    """Concurrent writers kept colliding on the same URL; the caller may try again."""
