"""Scrapy downloads through the egress guard, connected to the address the guard checked.

:class:`EgressDownloadHandler` is Scrapy's HTTP/1.1 download handler with one change: before
each request (and so before each redirect hop, robots.txt and media request, which are all
new requests) it runs :meth:`.EgressGuard.destination`, and then connects to the checked
addresses only. Twisted's ``Agent`` normally turns the URL's host into an endpoint that
resolves the name again when it connects; here the agent is given an endpoint factory that
ignores the name and connects over TCP to the checked IP (the next checked address only if
that one cannot be reached), with TLS on top for https, whose server name (SNI) and
certificate name are the URL's host. The ``Host`` header is the URL's, as Twisted writes it.

Refusals fail the request with :class:`.EgressBlocked` (the spider's errback sees it, with
its reason) and count in the stats as ``egress/refused/<reason>``; checked requests count as
``egress/allowed``; hosts the resolver cannot resolve count as ``egress/unresolved`` and fail
as Scrapy's ``CannotResolveHostError`` (retried like any DNS failure).

Use :func:`egress_settings` in the crawler's settings. The resolver comes from the Scrapy
setting ``EGRESS_RESOLVER``: a function or class called with no argument that returns the
:class:`~sentinelle.resolver.Resolver` (e.g. ``lambda: sandbox.resolver``), or its
import path; unset, the system resolver. (A callable, because Scrapy deep-copies the values of
its settings: a resolver instance would be copied, or fail to copy.) The only exceptions to the
policy are ``SENTINELLE_EGRESS_ALLOW``'s, read from the environment.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler, _ScrapyAgent
from scrapy.exceptions import CannotResolveHostError, NotConfigured, ResponseDataLossError
from scrapy.utils._download_handlers import (
    get_dataloss_msg,
    normalize_bind_address,
    wrap_twisted_exceptions,
)
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import load_object
from twisted.internet.threads import deferToThread

from sentinelle.config import ConfigurationError
from sentinelle.crawl.egress import Destination, EgressGuard, EgressPolicy
from sentinelle.crawl.egress_endpoints import PinnedAgent, PinnedEndpoints
from sentinelle.crawl.egress_exceptions import EgressBlocked, Refusal
from sentinelle.crawl.egress_urls import url_target
from sentinelle.resolver import ResolutionError

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings
    from twisted.web.client import Agent

    from sentinelle.resolver import Resolver

logger = logging.getLogger(__name__)

HANDLER: Final = "sentinelle.crawl.egress_download.EgressDownloadHandler"
RESOLVER_SETTING: Final = "EGRESS_RESOLVER"
# Schemes whose Scrapy handlers reach the network (or the disk) without the guard.
UNGUARDED_SCHEMES: Final = ("ftp", "s3", "file")


def egress_settings() -> dict[str, Any]:
    """Scrapy settings that send every download through the guard (merge into the crawler's)."""
    return {
        "DOWNLOAD_HANDLERS": {
            "http": HANDLER,
            "https": HANDLER,
            **dict.fromkeys(UNGUARDED_SCHEMES),
        },
        "HTTPPROXY_ENABLED": False,  # a proxy resolves names itself: requests through one fail
    }


class EgressDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, guarded: see the module's documentation."""

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        handlers = crawler.settings.getwithbase("DOWNLOAD_HANDLERS")
        if enabled := [scheme for scheme in UNGUARDED_SCHEMES if handlers.get(scheme)]:
            raise NotConfigured(
                f"the egress guard cannot run while {', '.join(enabled)} downloads bypass it: "
                "use sentinelle.crawl.egress_download.egress_settings()"
            )
        super().__init__(crawler)
        self._guard = EgressGuard(EgressPolicy.from_environment(), load_resolver(crawler.settings))
        assert crawler.stats is not None
        self._stats = crawler.stats

    async def download_request(self, request: Request) -> Response:
        destination = await self._destination(request)
        agent = _PinnedScrapyAgent(
            destination,
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                response: Response = await maybe_deferred_to_future(agent.download_request(request))
                return response
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise

    async def _destination(self, request: Request) -> Destination:
        try:
            if request.meta.get("proxy"):
                raise EgressBlocked(Refusal.PROXY, request.url, detail="a proxy resolves names")
            destination: Destination
            if self._lookup_blocks(request.url):
                # The resolver may block (getaddrinfo): it runs in the reactor's thread pool.
                destination = await maybe_deferred_to_future(
                    deferToThread(self._guard.destination, request.url)
                )
            else:  # answered from memory: the same check, without a thread hop
                destination = self._guard.destination(request.url)
        except EgressBlocked as blocked:
            self._stats.inc_value(f"egress/refused/{blocked.reason}")
            logger.info("%s", blocked, extra={"crawler": self._crawler})
            raise
        except ResolutionError as error:
            self._stats.inc_value("egress/unresolved")
            raise CannotResolveHostError(str(error)) from error
        self._stats.inc_value("egress/allowed")
        return destination


    def _lookup_blocks(self, url: str) -> bool:
        """Whether checking ``url`` may block: a host name for a resolver that blocks (an
        address literal, or a URL refused before any lookup, never reaches the resolver)."""
        if not self._guard.resolver.blocking:
            return False
        try:
            return url_target(url).literal is None
        except EgressBlocked:
            return False


class _PinnedScrapyAgent(_ScrapyAgent):
    """Scrapy's agent (size caps, timeouts, response building) on a pinned Twisted agent."""

    def __init__(self, destination: Destination, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._destination = destination

    def _get_agent(self, request: Request, timeout: float) -> Agent:
        from twisted.internet import reactor

        bind = normalize_bind_address(request.meta.get("bindaddress") or self._bindAddress)
        endpoints = PinnedEndpoints(reactor, self._destination, self._contextFactory, timeout, bind)
        return PinnedAgent.pinned(reactor, endpoints, self._pool)


def load_resolver(settings: BaseSettings) -> Resolver:
    """The resolver the Scrapy setting ``EGRESS_RESOLVER`` makes (default: the system's)."""
    from sentinelle.resolver import Resolver, SystemResolver

    value: Any = settings.get(RESOLVER_SETTING)
    if value is None:
        return SystemResolver()
    if isinstance(value, str):
        value = load_object(value)
    if not isinstance(value, Resolver) and callable(value):
        value = value()
    if not isinstance(value, Resolver):
        raise ConfigurationError(f"{RESOLVER_SETTING} must name a Resolver, got {value!r}")
    return value
