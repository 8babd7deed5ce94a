"""Answers of the trap site: generated pages without end, and files that fight back.

Every streaming answer writes from a fixed buffer and awaits the socket, so a
2 GiB file or a slow drip costs no memory and never blocks other requests.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from typing import Final

from aiohttp import web

from sentinelle.sandbox.bombs import HUGE_FILE_HEAD, filler_block, gzip_bomb, png_bomb
from sentinelle.sandbox.constructs import HostileCase
from sentinelle.sandbox.imagefiles import ImageStore
from sentinelle.sandbox.model import PageKind, World
from sentinelle.sandbox.pages import document, href
from sentinelle.sandbox.traps import CALENDAR_PREFIX, CHAIN_PREFIX, MAZE_PREFIX

HTML: Final = "text/html; charset=utf-8"
_MAZE_PAGE: Final = re.compile(r"/maze/(start|[0-9a-f]{8})")
_CALENDAR_PAGE: Final = re.compile(r"/calendar/([0-9]{1,6})/([0-9]{2})/")
_CHAIN_STEP: Final = re.compile(r"/chain/([0-9]{1,18})")
_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Traps:
    """Answers the hostile URLs of one world's trap site."""

    def __init__(self, world: World, images: ImageStore, port: int) -> None:
        self.world = world
        self.images = images
        self.port = port
        trap = next(page for page in world.pages if page.kind is PageKind.TRAP)
        self.home = trap.location
        self.bait = trap.placements[0]
        self.paths = {h.location.path: h.case for h in world.hostile}

    def _bait_html(self) -> str:
        assert self.bait.request is not None
        return f'<img src="{self.bait.request.path}" alt="picture">\n'

    async def answer(self, request: web.Request, path: str) -> web.StreamResponse | None:
        """The answer for ``path`` on the trap site, or None when it is not a trap."""
        case = self.paths.get(path)
        settings = self.world.settings
        if case is HostileCase.HUGE_FILE:
            return await self._stream(request, "image/jpeg", settings.huge_bytes, HUGE_FILE_HEAD)
        if case is HostileCase.SLOW_DRIP:
            return await self._drip(request, self.images.bytes_of(self.bait.media))
        if case is HostileCase.DECOMPRESSION_BOMB:
            return web.Response(body=png_bomb(settings.bomb_side), content_type="image/png")
        if case is HostileCase.GZIP_BOMB:
            body = await asyncio.to_thread(gzip_bomb, settings.gzip_bomb_bytes)
            return web.Response(
                body=body, headers={"Content-Type": HTML, "Content-Encoding": "gzip"}
            )
        if case is HostileCase.TRUNCATED_FILE:
            data = self.images.bytes_of(self.bait.media)
            return web.Response(body=data[: len(data) // 2], content_type="image/jpeg")
        if case is HostileCase.TRUNCATED_TRANSFER:
            return await self._cut_short(request, self.images.bytes_of(self.bait.media))
        if case is HostileCase.ENORMOUS_HTML:
            head = b"<!DOCTYPE html>\n<html><head><title>enormous</title></head><body>\n"
            return await self._stream(
                request,
                HTML,
                settings.enormous_html_bytes,
                head,
                _paragraphs(),
                b"\n</body></html>\n",
            )
        return self._generated(path)

    def _generated(self, path: str) -> web.StreamResponse | None:
        if path.startswith(MAZE_PREFIX) and (maze := _MAZE_PAGE.fullmatch(path)):
            return self._maze(maze.group(1))
        if path.startswith(CALENDAR_PREFIX) and (day := _CALENDAR_PAGE.fullmatch(path)):
            year, month = int(day.group(1)), int(day.group(2))
            if year >= 1 and 1 <= month <= 12:
                return self._calendar(year, month)
        if path.startswith(CHAIN_PREFIX) and (step := _CHAIN_STEP.fullmatch(path)):
            return web.Response(
                status=302, headers={"Location": f"{CHAIN_PREFIX}{int(step.group(1)) + 1}"}
            )
        return None

    def _page(self, title: str, links: list[str]) -> web.Response:
        items = "".join(f'<li><a href="{link}">{link}</a></li>\n' for link in links)
        home = href(self.home, self.home, self.port)
        body = f'{self._bait_html()}<ul>\n{items}</ul>\n<p><a href="{home}">home</a></p>\n'
        return web.Response(text=document(title, body), content_type="text/html")

    def _maze(self, token: str) -> web.Response:
        links = []
        for branch in range(self.world.settings.maze_fanout):
            seed = f"maze:{self.world.seed}:{token}:{branch}".encode()
            links.append(f"{MAZE_PREFIX}{hashlib.blake2b(seed, digest_size=4).hexdigest()}")
        return self._page(f"maze room {token}", links)

    def _calendar(self, year: int, month: int) -> web.Response:
        before = (year, month - 1) if month > 1 else (year - 1, 12)
        after = (year, month + 1) if month < 12 else (year + 1, 1)
        links = [f"{CALENDAR_PREFIX}{y}/{m:02d}/" for y, m in (before, after) if y >= 1]
        return self._page(f"events of {_MONTHS[month - 1]} {year}: none", links)

    async def _stream(
        self,
        request: web.Request,
        content_type: str,
        total: int,
        head: bytes,
        block: bytes | None = None,
        tail: bytes = b"",
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": content_type})
        response.content_length = total
        await response.prepare(request)
        if request.method == "HEAD":
            return response
        block = block or filler_block()
        middle = total - len(head) - len(tail)
        try:
            await response.write(head)
            while middle > 0:
                piece = block if middle >= len(block) else block[:middle]
                await response.write(piece)
                middle -= len(piece)
            await response.write(tail)
        except ConnectionError:
            pass  # the client gave up: that is the point
        return response

    async def _drip(self, request: web.Request, data: bytes) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "image/jpeg"})
        response.content_length = len(data)
        await response.prepare(request)
        if request.method == "HEAD":
            return response
        try:
            for offset in range(len(data)):
                await response.write(data[offset : offset + 1])
                await asyncio.sleep(self.world.settings.drip_interval)
        except ConnectionError:
            pass
        return response

    async def _cut_short(self, request: web.Request, data: bytes) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "image/jpeg"})
        response.content_length = len(data)
        response.force_close()
        await response.prepare(request)
        if request.method != "HEAD":
            await response.write(data[: len(data) // 2])
            if request.transport is not None:
                request.transport.close()
        return response


def _paragraphs() -> bytes:
    line = b"<p>Nothing to see here, and a great deal of it. " * 4 + b"</p>\n"
    return line * ((1 << 16) // len(line))
