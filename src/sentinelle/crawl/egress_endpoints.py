"""Twisted endpoints that connect to checked addresses, never to a host name.

(Twisted's zope interfaces are not types mypy understands: endpoints, protocols and the TLS
policy are ``Any`` here, at that boundary only.)

:class:`PinnedEndpoints` is the ``IAgentEndpointFactory`` of one request's agent: whatever
URI the agent asks for, the endpoint connects over TCP to the :class:`~.egress.Destination`'s
addresses (in order, moving on only when one cannot be reached), wrapped in TLS for https with
the destination's host as server name. No name resolution happens below this point.
:class:`PinnedAgent` keys its pooled (keep-alive) connections by those addresses too, so a
connection is only reused for a request that checked the same addresses.
"""

from __future__ import annotations

from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any

from twisted.internet.defer import Deferred
from twisted.internet.endpoints import TCP4ClientEndpoint, TCP6ClientEndpoint, wrapClientTLS
from twisted.internet.error import ConnectError
from twisted.internet.interfaces import IStreamClientEndpoint
from twisted.web.client import Agent
from twisted.web.iweb import IAgentEndpointFactory
from zope.interface import implementer  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from twisted.web.client import URI, HTTPConnectionPool

    from sentinelle.crawl.egress import Destination
    from sentinelle.crawl.egress_addresses import Address


@implementer(IStreamClientEndpoint)
class FirstReachable:
    """Tries each endpoint in turn until one connects (cancelling stops the current try)."""

    def __init__(self, endpoints: list[Any]) -> None:
        self._endpoints = endpoints

    def connect(self, protocolFactory: Any) -> Deferred[Any]:
        return Deferred.fromCoroutine(self._connect(protocolFactory))

    async def _connect(self, factory: Any) -> Any:
        failure: ConnectError | None = None
        for endpoint in self._endpoints:
            try:
                return await endpoint.connect(factory)
            except ConnectError as error:
                failure = error
        assert failure is not None, "a destination has at least one address"
        raise failure


@implementer(IAgentEndpointFactory)
class PinnedEndpoints:
    """Endpoints to a checked destination, whatever URI Twisted asks for."""

    def __init__(
        self,
        reactor: Any,
        destination: Destination,
        policy_for_https: Any,
        timeout: float,
        bind_address: tuple[str, int] | None,
    ) -> None:
        self._reactor = reactor
        self._destination = destination
        self._policy = policy_for_https
        self._timeout = timeout
        self._bind = bind_address

    @property
    def pool_key(self) -> tuple[object, ...]:
        return ("egress", self._destination.addresses, self._bind)

    def endpointForURI(self, uri: URI) -> Any:
        # ``uri`` is deliberately not read: the destination is what the guard checked.
        destination = self._destination
        endpoint: Any = FirstReachable(
            [self._tcp(address, destination.port) for address in destination.addresses]
        )
        if destination.scheme == "https":
            creator = self._policy.creatorForNetloc(
                destination.host.encode("ascii"), destination.port
            )
            endpoint = wrapClientTLS(creator, endpoint)
        return endpoint

    def _tcp(self, address: Address, port: int) -> Any:
        kind = TCP4ClientEndpoint if isinstance(address, IPv4Address) else TCP6ClientEndpoint
        return kind(
            self._reactor, str(address), port, timeout=self._timeout, bindAddress=self._bind
        )


class PinnedAgent(Agent):
    """Twisted's ``Agent`` with pinned endpoints, pooling connections per checked addresses."""

    _pinned: PinnedEndpoints

    @classmethod
    def pinned(
        cls, reactor: Any, endpoints: PinnedEndpoints, pool: HTTPConnectionPool | None
    ) -> PinnedAgent:
        agent = cls.usingEndpointFactory(reactor, endpoints, pool)  # type: ignore[no-untyped-call]
        assert isinstance(agent, PinnedAgent)
        agent._pinned = endpoints
        return agent

    def _requestWithEndpoint(self, key: Any, *args: Any, **kwargs: Any) -> Any:
        return super()._requestWithEndpoint((*key, *self._pinned.pool_key), *args, **kwargs)
