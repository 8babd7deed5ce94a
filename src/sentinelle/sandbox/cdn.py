"""The CDN: an edge that proxies the sites it fronts to their origin, and its abuse desk.

The edge (``edge.<cdn>.test``, and every fronted host) sends each request to the
origin with the same Host and passes the answer through unchanged (status,
Location, Content-Type, Content-Length, body bytes); only ``Server`` names the
CDN and ``Via`` is added. The abuse desk (``abuse.<cdn>.test``) tells which
origin serves a URL: ``GET /origin?url=<URL>``.
"""

from __future__ import annotations

import contextlib
from typing import Final
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from yarl import URL

from sentinelle.sandbox.internet import Cdn, Internet

#: Headers that belong to one connection, never passed on (RFC 9110, 7.6.1).
HOP_BY_HOP: Final = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
ORIGIN_PATH: Final = "/origin"
_CHUNK: Final = 64 * 1024


def _http_host(url: str) -> str | None:
    """The host name of an http(s) URL; None when ``url`` is not one."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    return host if parts.scheme in ("http", "https") and host else None


class CdnService:
    """The edge and the abuse desk of the world's CDN."""

    def __init__(self, internet: Internet) -> None:
        self.internet = internet
        self.cdn: Cdn = internet.cdn
        self.edge_ip = str(self.cdn.edge_ip)
        self.abuse_ip = str(self.cdn.abuse_ip)
        self._session: aiohttp.ClientSession | None = None
        self._port = 0

    @property
    def addresses(self) -> list[str]:
        return [self.edge_ip, self.abuse_ip]

    async def start(self, port: int) -> None:
        self._port = port
        self._session = aiohttp.ClientSession(
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=60),
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def answer(self, request: web.Request, address: str) -> web.StreamResponse:
        if address == self.abuse_ip:
            return self._abuse(request)
        return await self._edge(request)

    # -- the edge --------------------------------------------------------------------------

    async def _edge(self, request: web.Request) -> web.StreamResponse:
        fronted = self.cdn.fronted_site(request.url.host or "")
        if fronted is None or self._session is None:
            return web.Response(status=404, text=f"{self.cdn.name}: no such site at this edge")
        via = f"1.1 {self.cdn.slug}"
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        headers += [("Via", via), ("X-Forwarded-For", request.remote or "")]
        target = URL(f"http://{fronted.site.ip}:{self._port}{request.raw_path}", encoded=True)
        body = await request.read() if request.body_exists else None
        try:
            upstream = await self._session.request(
                request.method,
                target,
                headers=headers,
                data=body,
                allow_redirects=False,
                skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
            )
        except (aiohttp.ClientError, TimeoutError) as error:
            return web.Response(status=502, text=f"{self.cdn.name}: origin unreachable: {error}")
        async with upstream:
            response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
            for name, value in upstream.headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() != "server":
                    response.headers.add(name, value)
            response.headers["Server"] = self.cdn.slug
            response.headers.add("Via", via)
            await response.prepare(request)
            if request.method == "HEAD":
                await response.write_eof()
                return response
            try:
                async for chunk in upstream.content.iter_chunked(_CHUNK):
                    await response.write(chunk)
            except (aiohttp.ClientError, TimeoutError):
                # The origin broke off: so does the edge, without pretending the answer ended.
                with contextlib.suppress(Exception):
                    if request.transport is not None:
                        request.transport.close()
                return response
            await response.write_eof()
            return response

    # -- the abuse desk --------------------------------------------------------------------

    def describe(self) -> dict[str, object]:
        cdn = self.cdn
        return {
            "cdn": cdn.slug,
            "name": cdn.name,
            "asn": cdn.asn,
            "network": str(cdn.network),
            "abuse_email": cdn.abuse_email,
            "edge_ip": str(cdn.edge_ip),
            "origin": f"{ORIGIN_PATH}?url=<URL-encoded URL>",
            "fronts": [f.site.host for f in cdn.fronted],
        }

    def _abuse(self, request: web.Request) -> web.Response:
        if request.method not in ("GET", "HEAD"):
            return web.json_response({"error": "use GET"}, status=405, headers={"Allow": "GET"})
        if request.path == "/":
            return web.json_response(self.describe())
        if request.path != ORIGIN_PATH:
            return web.json_response({"error": "not found"}, status=404)
        url = request.query.get("url", "")
        host = _http_host(url)
        if host is None:
            usage = f"expected {ORIGIN_PATH}?url=<URL-encoded http(s) URL>"
            return web.json_response({"error": usage, "url": url or None}, status=400)
        fronted = self.cdn.fronted_site(host)
        if fronted is None:
            message = f"{self.cdn.name} does not serve {host}"
            return web.json_response({"error": message, "url": url}, status=404)
        network = self.internet.network_of(fronted.site.ip)
        return web.json_response(
            {
                "url": url,
                "host": fronted.site.host,
                "cdn": self.cdn.slug,
                "origin_ip": str(fronted.site.ip),
                "origin_network": None if network is None else str(network.cidr),
                "provider": fronted.site.provider,
            }
        )
