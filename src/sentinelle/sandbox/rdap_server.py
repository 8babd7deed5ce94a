"""The RDAP servers: the bootstrap that redirects, and the regional registries that answer.

``rdap.registry.test`` answers 302 to the regional registry holding a resource;
``rdap.<name>.test`` answers RFC 9083 JSON. A registry can be switched to
unavailable (503) or unreachable (the connection closed) while the sandbox runs,
and every request is recorded, so a client's retries and cache can be checked.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from ipaddress import IPv4Network
from typing import Any, Final

from aiohttp import web

from sentinelle.sandbox.exceptions import UnknownRegistry
from sentinelle.sandbox.internet import Internet, RdapState, Registry, as_network
from sentinelle.sandbox.rdap_objects import RDAP_CONTENT_TYPE, JSONObject, RdapObjects
from sentinelle.sandbox.rdap_queries import Query, parse_query

#: Seconds an unavailable registry asks clients to wait.
RETRY_AFTER: Final = 30
STATE_PATH: Final = "/_sandbox/state"


@dataclass(frozen=True, slots=True)
class RdapRequest:
    """One request an RDAP server received, and the status it answered (0: dropped)."""

    registry: str
    path: str
    status: int


def rdap_response(payload: JSONObject, status: int = 200, **headers: str) -> web.Response:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    fixed = {"Content-Type": RDAP_CONTENT_TYPE, "Access-Control-Allow-Origin": "*"}
    return web.Response(body=body, status=status, headers={**fixed, **headers})


class RdapService:
    """The bootstrap and regional registries of one world. Thread-safe state and log."""

    def __init__(self, internet: Internet) -> None:
        self.internet = internet
        self._lock = threading.Lock()
        self._states = {
            r.name: RdapState.UP if r.starts_up else RdapState.UNAVAILABLE
            for r in internet.registries
        }
        self._requests: list[RdapRequest] = []
        self._objects: RdapObjects | None = None
        self.registries_by_ip = {str(r.ip): r for r in internet.registries}
        self.bootstrap_ip = str(internet.bootstrap_ip)

    def start(self, port: int) -> None:
        self._objects = RdapObjects(self.internet, port)

    @property
    def objects(self) -> RdapObjects:
        assert self._objects is not None, "RdapService.start(port) first"
        return self._objects

    @property
    def addresses(self) -> list[str]:
        return [self.bootstrap_ip, *self.registries_by_ip]

    # -- state and log ---------------------------------------------------------------------

    def state(self, name: str) -> RdapState:
        with self._lock:
            return self._states[self.internet.registry(name).name]

    def set_state(self, name: str, state: RdapState) -> None:
        registry = self.internet.registry(name)
        with self._lock:
            self._states[registry.name] = RdapState(state)

    def states(self) -> dict[str, str]:
        with self._lock:
            return {self.internet.registry(n).host: str(s) for n, s in self._states.items()}

    @property
    def requests(self) -> list[RdapRequest]:
        with self._lock:
            return list(self._requests)

    def _record(self, registry: str, path: str, status: int) -> None:
        with self._lock:
            self._requests.append(RdapRequest(registry, path, status))

    # -- answering -------------------------------------------------------------------------

    async def answer(self, request: web.Request, address: str) -> web.StreamResponse:
        registry = self.registries_by_ip.get(address)
        if registry is None:
            response = await self._bootstrap(request)
            self._record(self.internet.bootstrap_host, request.path, response.status)
            return response
        state = self.state(registry.name)
        if state is RdapState.UNREACHABLE:
            self._record(registry.host, request.path, 0)
            if request.transport is not None:
                request.transport.close()
            raise web.HTTPServiceUnavailable()
        if state is RdapState.UNAVAILABLE:
            response = self._error(503, "Service Unavailable", f"{registry.title} is down")
            response.headers["Retry-After"] = str(RETRY_AFTER)
        else:
            response = self._regional(request, registry)
        self._record(registry.host, request.path, response.status)
        return response

    def _error(self, code: int, title: str, description: str) -> web.Response:
        return rdap_response(self.objects.error(code, title, description), code)

    def _method(self, request: web.Request) -> web.Response | None:
        if request.method in ("GET", "HEAD"):
            return None
        response = self._error(405, "Method Not Allowed", "RDAP answers GET and HEAD")
        response.headers["Allow"] = "GET, HEAD"
        return response

    def _regional(self, request: web.Request, registry: Registry) -> web.Response:
        refused = self._method(request)
        if refused is not None:
            return refused
        query = parse_query(request.path)
        if isinstance(query, str):
            return self._error(400, "Bad Request", query)
        found = self._find(query, registry)
        if found is None:
            return self._error(404, "Not Found", f"{registry.title} holds no {query.text}")
        return rdap_response(self.objects.top(registry.name, found))

    def _find(self, query: Query, registry: Registry) -> JSONObject | None:
        objects, internet = self.objects, self.internet
        if query.kind == "help":
            return {}
        if query.kind == "ip":
            prefix = as_network(query.value)
            network = (
                internet.network_containing(prefix) if isinstance(prefix, IPv4Network) else None
            )
            held = network is not None and network.registry == registry.name
            return objects.network(network) if held and network is not None else None
        if query.kind == "entity":
            entity = objects.entity_handle(query.value)
            if entity is None or entity[0].registry != registry.name:
                return None
            return objects.entity(*entity)
        if query.kind == "domain":
            domain = internet.domain(query.value)
            held = domain is not None and domain.registry == registry.name
            return objects.domain(domain) if held and domain is not None else None
        org = internet.organisation_of_asn(int(query.value))
        return objects.autnum(org) if org is not None and org.registry == registry.name else None

    # -- the bootstrap ---------------------------------------------------------------------

    async def _bootstrap(self, request: web.Request) -> web.Response:
        if request.path == STATE_PATH:
            return await self._control(request)
        refused = self._method(request)
        if refused is not None:
            return refused
        query = parse_query(request.path)
        if isinstance(query, str):
            return self._error(400, "Bad Request", query)
        if query.kind == "help":
            return rdap_response(self.objects.bootstrap_help())
        registry = self._holder(query)
        if registry is None:
            return self._error(404, "Not Found", f"no registry holds {query.text}")
        location = f"{self.objects.base(registry)}{query.kind}/{query.value}"
        return web.Response(status=302, headers={"Location": location})

    def _holder(self, query: Query) -> str | None:
        internet = self.internet
        if query.kind == "ip":
            prefix = as_network(query.value)
            found = internet.network_containing(prefix) if isinstance(prefix, IPv4Network) else None
            return None if found is None else found.registry
        if query.kind == "domain":
            held = (r.name for r in internet.registries if r.holds_domains)
            return next(held, None) if query.value.endswith(".example") else None
        if query.kind == "entity":
            tag = query.value.rpartition("-")[2].lower()
            return tag if tag in {r.name for r in internet.registries} else None
        org = internet.organisation_of_asn(int(query.value))
        return None if org is None else org.registry

    async def _control(self, request: web.Request) -> web.Response:
        if request.method == "GET":
            return web.json_response({"registries": self.states()})
        if request.method != "POST":
            return web.json_response({"error": "use GET or POST"}, status=405)
        try:
            payload: Any = json.loads(await request.read())
            self.set_state(str(payload["registry"]), RdapState(payload["state"]))
        except (ValueError, KeyError, TypeError, UnknownRegistry) as error:
            usage = '{"registry": "rdap.east.test", "state": "up|unavailable|unreachable"}'
            return web.json_response({"error": f"expected {usage}: {error}"}, status=400)
        return web.json_response({"registries": self.states()})
