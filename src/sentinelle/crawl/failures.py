"""Why a request failed, as one stable word: the stats key ``dropped/<reason>``."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectError, ConnectionDone, ConnectionLost, TimeoutError

from sentinelle.crawl.egress_exceptions import EgressBlocked


@dataclass(frozen=True)
class Failed:
    reason: str
    #: The HTTP status of an error answer (404...), if there was an answer.
    status: int | None = None
    #: Whether trying again later may succeed (a queued request is then retried).
    transient: bool = False


#: A redirect led to a URL the crawl fetches anyway: not an error (see middlewares.py).
MERGED = "merged"

#: IgnoreRequest messages (Scrapy's and ours), and the reason each means.
_IGNORED = (
    ("merged", MERGED),
    ("redirect-loop", "redirect-loop"),
    ("max redirections", "redirect-limit"),
    ("robots.txt", "robots"),
    ("DOWNLOAD_MAXSIZE", "too-large"),
    ("donotact", "donotact"),
    ("too-large", "too-large"),
)


def classify(error: BaseException) -> Failed:
    if isinstance(error, EgressBlocked):
        return Failed("egress-refused")
    if isinstance(error, HttpError):
        status = int(error.response.status)
        return Failed(f"http-{status}", status, status >= 500 or status == 429)
    if isinstance(error, CannotResolveHostError):
        return Failed("unresolved", transient=True)
    if isinstance(error, DownloadTimeoutError | TimeoutError):
        return Failed("timeout", transient=True)
    if isinstance(error, DownloadCancelledError):
        # Scrapy cancels a download itself only when it goes over the size cap (announced
        # by Content-Length, or counted while streaming).
        return Failed("too-large")
    if isinstance(error, ResponseDataLossError):
        return Failed("dataloss", transient=True)
    if isinstance(error, DownloadConnectionRefusedError | ConnectError):
        return Failed("connection", transient=True)
    if isinstance(error, ConnectionDone | ConnectionLost | DownloadFailedError):
        return Failed("connection-lost", transient=True)
    if isinstance(error, IgnoreRequest):
        text = str(error)
        for fragment, reason in _IGNORED:
            if fragment in text:
                return Failed(reason)
        return Failed("ignored")
    if isinstance(error, NotSupported):
        return Failed("unsupported")
    return Failed("error", transient=True)
