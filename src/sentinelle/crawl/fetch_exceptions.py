"""Why a fetch through :mod:`.fetch` failed (a refusal by the guard is :class:`.EgressBlocked`)."""

from __future__ import annotations

from sentinelle.crawl.exceptions import CrawlError


class FetchError(CrawlError):
    """A fetch that went through the guard failed; ``url`` is the URL being fetched."""

    def __init__(self, message: str, url: str) -> None:
        super().__init__(f"{message}: {url}")
        self.url = url


class FetchFailed(FetchError):
    """No checked address could be reached, or the exchange broke or took too long."""


class ResponseTooLarge(FetchError):
    """The body is larger than the fetcher's ``max_bytes``."""


class TooManyRedirects(FetchError):
    """More redirect hops than ``max_redirects``."""
