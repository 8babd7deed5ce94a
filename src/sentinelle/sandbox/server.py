"""The sandbox's HTTP servers: one listener per site address, all on one common port.

Every site, every provider's takedown desk, every RDAP server and the CDN's hosts
have their own loopback address; all listen on the same port, chosen free at start
unless given, so a URL is ``http://<host>:<port>/path`` and a resolver only has to
map host -> address. One aiohttp application answers them all, telling them apart
by the local address a connection arrived on (the CDN's edge then by Host).

``async with Sandbox(world) as sandbox:`` runs it in the current event loop;
``with SandboxThread(world) as sandbox:`` (:mod:`.threaded`) in a thread of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Final

from aiohttp import web

from sentinelle.sandbox.asn import asn_table
from sentinelle.sandbox.cdn import ORIGIN_PATH, CdnService
from sentinelle.sandbox.control import TAKEDOWN_PATH, answer_desk
from sentinelle.sandbox.exceptions import SandboxNotRunning, SandboxStartError, UnknownProvider
from sentinelle.sandbox.hostile import Traps
from sentinelle.sandbox.imagefiles import DEFAULT_CACHE_SIZE, ImageStore
from sentinelle.sandbox.internet import Cdn, RdapState
from sentinelle.sandbox.model import Location, World
from sentinelle.sandbox.pages import Renderer
from sentinelle.sandbox.providers import PolicyAction, Site, SiteRole
from sentinelle.sandbox.rdap_server import RdapRequest, RdapService
from sentinelle.sandbox.resolver import SandboxResolver
from sentinelle.sandbox.routes import MediaRoute, PageRoute, RedirectRoute, RouteTable
from sentinelle.sandbox.takedown import Clock, TakedownDesk, TakedownReceipt, file_key

#: Seconds given to answers still streaming when the servers stop.
SHUTDOWN_GRACE: Final = 0.5
_PORT_ATTEMPTS: Final = 20

Service = Callable[[web.Request, str], Awaitable[web.StreamResponse]]


def _free_port(address: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((address, 0))
        return int(probe.getsockname()[1])


def _plain(status: int, text: str) -> web.Response:
    return web.Response(
        status=status,
        text=f"<!DOCTYPE html>\n<title>{text}</title>\n<h1>{text}</h1>\n",
        content_type="text/html",
    )


class Sandbox:
    """The servers of one world, with its providers' takedown desks."""

    def __init__(
        self,
        world: World,
        *,
        port: int | None = None,
        log_folder: str | os.PathLike[str] | None = None,
        clock: Clock = time.time,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self.world = world
        self.images = ImageStore(world, cache_size=cache_size)
        self.resolver = SandboxResolver.from_world(world)
        self.routes = RouteTable(world)
        self.log_folder = Path(
            log_folder if log_folder is not None else tempfile.mkdtemp(prefix="sentinelle-sandbox-")
        )
        self.log_folder.mkdir(parents=True, exist_ok=True)
        fronted = [f.site for f in world.internet.cdn.fronted]
        hosted: dict[str, list[str]] = {p.slug: [] for p in world.providers}
        for site in (*world.sites, *fronted):
            hosted[site.provider].append(site.host)
        self.desks = {
            p.slug: TakedownDesk(p, hosted[p.slug], self.log_folder, clock=clock)
            for p in world.providers
        }
        self._desk_of_host = {
            host: self.desks[slug] for slug, hosts in hosted.items() for host in hosts
        }
        self._sites_by_ip = {str(site.ip): site for site in (*world.sites, *fronted)}
        self._desks_by_ip = {str(p.control_ip): self.desks[p.slug] for p in world.providers}
        self.rdap = RdapService(world.internet)
        self.cdn_service = CdnService(world.internet)
        self._services: dict[str, Service] = dict.fromkeys(self.rdap.addresses, self.rdap.answer)
        self._services.update(dict.fromkeys(self.cdn_service.addresses, self.cdn_service.answer))
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._settler: asyncio.Task[None] | None = None
        self._renderer: Renderer | None = None
        self._traps: Traps | None = None

    # -- running ---------------------------------------------------------------------------

    async def start(self) -> None:
        addresses = [*self._sites_by_ip, *self._desks_by_ip, *self._services]
        attempts = 1 if self._requested_port else _PORT_ATTEMPTS
        problem: OSError | None = None
        for _ in range(attempts):
            port = self._requested_port or _free_port(addresses[0])
            runner = web.AppRunner(
                self._application(), access_log=None, shutdown_timeout=SHUTDOWN_GRACE
            )
            await runner.setup()
            try:
                for address in addresses:
                    await web.TCPSite(runner, address, port, reuse_address=True).start()
            except OSError as error:
                problem = error
                await runner.cleanup()
                continue
            self._runner, self._port = runner, port
            self.rdap.start(port)
            await self.cdn_service.start(port)
            self._renderer = Renderer(port, self.images.bytes_of)
            self._traps = Traps(self.world, self.images, port)
            self._settler = asyncio.create_task(self._settle_now_and_then())
            return
        raise SandboxStartError(f"could not listen on every sandbox address: {problem}")

    async def stop(self) -> None:
        if self._settler is not None:
            self._settler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._settler
            self._settler = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.cdn_service.close()
        for desk in self.desks.values():
            desk.settle()
        self._port = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _settle_now_and_then(self) -> None:
        delayed = [
            d for d in self.desks.values() if d.provider.policy.action is PolicyAction.DELAYED
        ]
        while delayed:
            await asyncio.sleep(0.25)
            for desk in delayed:
                desk.settle()

    # -- addresses -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._port is not None

    @property
    def port(self) -> int:
        if self._port is None:
            raise SandboxNotRunning("the sandbox has no port until it is started")
        return self._port

    def url(self, location: Location) -> str:
        return location.url(self.port)

    @property
    def start_urls(self) -> list[str]:
        return [self.url(location) for location in self.world.start_pages]

    def control_url(self, slug: str) -> str:
        provider = self.world.provider(slug)
        return f"http://{provider.control_host}:{self.port}{TAKEDOWN_PATH}"

    # -- attribution: RDAP, the CDN, IP-to-ASN data ---------------------------------------

    @property
    def rdap_url(self) -> str:
        """The bootstrap's base URL (it redirects to the regional registries)."""
        return f"http://{self.world.internet.bootstrap_host}:{self.port}/"

    def registry_url(self, name: str) -> str:
        """A regional registry's base URL, by name (``north``) or host name."""
        return f"http://{self.world.internet.registry(name).host}:{self.port}/"

    def set_rdap_up(self, name: str, up: bool) -> None:
        """Bring a regional registry up, or down (it then answers 503 with Retry-After)."""
        self.rdap.set_state(name, RdapState.UP if up else RdapState.UNAVAILABLE)

    def set_rdap_state(self, name: str, state: RdapState) -> None:
        self.rdap.set_state(name, state)

    def rdap_state(self, name: str) -> RdapState:
        return self.rdap.state(name)

    @property
    def rdap_requests(self) -> list[RdapRequest]:
        """Every request the RDAP servers received so far, oldest first."""
        return self.rdap.requests

    @property
    def cdn(self) -> Cdn:
        return self.world.internet.cdn

    @property
    def cdn_origin_url(self) -> str:
        """The CDN's origin-disclosure endpoint (add ``?url=<URL-encoded URL>``)."""
        return f"http://{self.cdn.abuse_host}:{self.port}{ORIGIN_PATH}"

    @property
    def fronted_urls(self) -> list[str]:
        """The home page of each site behind the CDN."""
        return [f"http://{f.site.host}:{self.port}/" for f in self.cdn.fronted]

    @property
    def asn_table(self) -> str:
        """The world's IP-to-ASN data, iptoasn.com format (``ip2asn-v4.tsv``)."""
        return asn_table(self.world)

    # -- takedowns -------------------------------------------------------------------------

    def desk(self, slug: str) -> TakedownDesk:
        try:
            return self.desks[slug]
        except KeyError:
            raise UnknownProvider(f"no provider {slug!r} in this world") from None

    def take_down(
        self, urls: Iterable[str], reference: str, *, via: str = "python"
    ) -> list[TakedownReceipt]:
        """Send each URL to the desk of the provider hosting it (one request per provider).

        URLs on no sandbox host are left out; ask a desk directly to see it refuse them.
        ``via`` is written in the desks' logs (``python``; a responder says ``cdn``...).
        """
        grouped: dict[str, list[str]] = {}
        for url in urls:
            key = file_key(url)
            desk = self._desk_of_host.get(key[0]) if key else None
            if desk is not None:
                grouped.setdefault(desk.provider.slug, []).append(url)
        return [self.desks[slug].receive(batch, reference, via=via) for slug, batch in grouped.items()]

    # -- answering -------------------------------------------------------------------------

    def _application(self) -> web.Application:
        app = web.Application(client_max_size=1 << 20)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        transport = request.transport
        local = transport.get_extra_info("sockname") if transport is not None else None
        address = str(local[0]) if local else ""
        service = self._services.get(address)
        if service is not None:
            return await service(request, address)
        desk = self._desks_by_ip.get(address)
        if desk is not None:
            return await answer_desk(request, desk)
        site = self._sites_by_ip.get(address)
        if site is None:
            return _plain(404, "not found")
        if request.method not in ("GET", "HEAD"):
            return web.Response(status=405, headers={"Allow": "GET, HEAD"})
        path = request.path
        desk = self._desk_of_host[site.host]
        if desk.is_gone(site.host, path):
            return _plain(desk.provider.gone_status, "removed")
        return await self._answer(request, site, path)

    async def _answer(self, request: web.Request, site: Site, path: str) -> web.StreamResponse:
        assert self._renderer is not None and self._traps is not None
        route = self.routes.find(site.host, path, request.rel_url.raw_query_string)
        if isinstance(route, MediaRoute):
            body = self.images.bytes_of(route.served.media)
            return web.Response(body=body, headers={"Content-Type": route.served.content_type})
        if isinstance(route, PageRoute):
            return web.Response(text=self._renderer.page(route.page), content_type="text/html")
        if isinstance(route, RedirectRoute):
            target = route.redirect.target
            location = target.path if target.host == site.host else self.url(target)
            return web.Response(status=route.redirect.status, headers={"Location": location})
        if route is not None:
            return web.Response(
                text=self._renderer.stylesheet(route.sheet), content_type="text/css"
            )
        if site.role is SiteRole.TRAPS:
            answer = await self._traps.answer(request, path)
            if answer is not None:
                return answer
        return _plain(404, "not found")
