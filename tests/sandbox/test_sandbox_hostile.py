"""The hostile cases behave as described, and the servers stay responsive meanwhile."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import io
import socket
import threading
import time
from urllib.parse import urljoin, urlsplit

import psutil  # type: ignore[import-untyped]
import pytest
from PIL import Image
from sandbox_support import connect, fetch, read_html

from sentinelle.hashing import hash_media
from sentinelle.sandbox import HostileCase, Sandbox, World


def _url(sandbox: Sandbox, world: World, case: HostileCase) -> str:
    return sandbox.url(world.hostile_case(case).location)


def _bait(sandbox: Sandbox, world: World) -> bytes:
    trap = next(p for p in world.pages if p.kind == "trap")
    return sandbox.images.bytes_of(trap.placements[0].media)


def test_link_maze_has_no_end(sandbox: Sandbox, world: World) -> None:
    url = _url(sandbox, world, HostileCase.LINK_MAZE)
    seen: set[str] = set()
    for _ in range(8):
        answer = fetch(sandbox.resolver, url)
        assert answer.status == 200
        reader = read_html(answer.text)
        rooms = [urljoin(url, href) for _, href in reader.links if "/maze/" in href]
        assert len(rooms) == world.settings.maze_fanout
        assert not seen & set(rooms)
        seen.update(rooms)
        assert any(r.how == "img[src]" for r in reader.references(url))  # a lure
        url = rooms[-1]
    assert fetch(sandbox.resolver, url).text == fetch(sandbox.resolver, url).text


def test_calendar_trap_goes_on_forever(sandbox: Sandbox, world: World) -> None:
    url = _url(sandbox, world, HostileCase.CALENDAR_TRAP)
    visited = []
    for _ in range(30):
        reader = read_html(fetch(sandbox.resolver, url).text)
        following = [href for _, href in reader.links if "/calendar/" in href]
        visited.append(url)
        url = urljoin(url, following[-1])
    assert len(set(visited)) == 30
    assert visited[-1].endswith("/calendar/2028/06/")
    assert fetch(sandbox.resolver, urljoin(url, "/calendar/2026/13/")).status == 404


def test_huge_file_streams_without_the_server_growing(sandbox: Sandbox, world: World) -> None:
    url = _url(sandbox, world, HostileCase.HUGE_FILE)
    connection, target = connect(sandbox.resolver, url, 10.0)
    process = psutil.Process()
    before = process.memory_info().rss
    try:
        connection.request("GET", target, headers={"Host": url.split("/")[2]})
        response = connection.getresponse()
        assert response.status == 200
        assert int(response.getheader("Content-Length") or 0) == 2 * 1024**3
        received = 0
        head = response.read(2)
        assert head == b"\xff\xd8"  # looks like a JPEG
        while received < 256 * 1024**2:
            chunk = response.read(1 << 20)
            assert chunk
            received += len(chunk)
        assert fetch(sandbox.resolver, sandbox.start_urls[0], timeout=5).status == 200
    finally:
        connection.close()
    assert process.memory_info().rss - before < 64 * 1024**2


def test_slow_drip_is_slow_and_blocks_nobody(sandbox: Sandbox, world: World) -> None:
    url = _url(sandbox, world, HostileCase.SLOW_DRIP)
    interval = world.settings.drip_interval
    connection, target = connect(sandbox.resolver, url, 10.0)
    try:
        started = time.monotonic()
        connection.request("GET", target, headers={"Host": url.split("/")[2]})
        response = connection.getresponse()
        assert int(response.getheader("Content-Length") or 0) == len(_bait(sandbox, world))
        first = response.read(5)
        assert time.monotonic() - started >= 4 * interval * 0.9
        assert first == _bait(sandbox, world)[:5]
        quick = time.monotonic()
        assert fetch(sandbox.resolver, sandbox.start_urls[1], timeout=5).status == 200
        assert time.monotonic() - quick < 2.0
    finally:
        connection.close()


def test_a_client_that_gives_up_ends_the_slow_drip(sandbox: Sandbox, world: World) -> None:
    url = _url(sandbox, world, HostileCase.SLOW_DRIP)
    parts = urlsplit(url)
    address = str(sandbox.resolver.resolve(parts.hostname or "")[0])
    received = b""
    with socket.create_connection((address, sandbox.port), timeout=0.05) as client:
        client.sendall(f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                received += client.recv(4096)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert 0 < len(body) < len(_bait(sandbox, world))
    assert fetch(sandbox.resolver, sandbox.start_urls[0], timeout=5).status == 200


def test_decompression_bomb_is_small_and_declares_billions_of_pixels(
    sandbox: Sandbox, world: World
) -> None:
    answer = fetch(sandbox.resolver, _url(sandbox, world, HostileCase.DECOMPRESSION_BOMB))
    assert answer.header("content-type") == "image/png"
    assert len(answer.body) < 1024**2
    with Image.open(io.BytesIO(answer.body)) as image:
        assert image.size == (50_000, 50_000)
    result = hash_media(answer.body)
    assert result.error is not None and result.error.kind == "too-large"


def test_gzip_bomb_inflates_far_beyond_its_size(sandbox: Sandbox, world: World) -> None:
    answer = fetch(sandbox.resolver, _url(sandbox, world, HostileCase.GZIP_BOMB))
    assert answer.header("content-encoding") == "gzip"
    assert len(answer.body) < 4 * 1024**2
    with gzip.GzipFile(fileobj=io.BytesIO(answer.body)) as inflating:
        start = inflating.read(64 * 1024**2)
    assert start.startswith(b"<!DOCTYPE html>")
    assert len(start) == 64 * 1024**2  # and it goes on to 1 GiB


def test_truncated_file_and_truncated_transfer(sandbox: Sandbox, world: World) -> None:
    whole = _bait(sandbox, world)
    truncated = fetch(sandbox.resolver, _url(sandbox, world, HostileCase.TRUNCATED_FILE))
    assert truncated.status == 200
    assert truncated.body == whole[: len(whole) // 2]
    assert hash_media(truncated.body).pdq is None
    with pytest.raises(http.client.IncompleteRead) as cut:
        fetch(sandbox.resolver, _url(sandbox, world, HostileCase.TRUNCATED_TRANSFER))
    assert cut.value.partial == whole[: len(whole) // 2]


def test_redirect_loops(sandbox: Sandbox, world: World) -> None:
    loop = _url(sandbox, world, HostileCase.REDIRECT_LOOP)
    url, seen = loop, []
    for _ in range(4):
        answer = fetch(sandbox.resolver, url)
        assert answer.status == 302
        seen.append(url)
        url = urljoin(url, answer.header("location") or "")
    assert seen[0] == seen[2] and seen[1] == seen[3] and seen[0] != seen[1]
    itself = _url(sandbox, world, HostileCase.SELF_REDIRECT)
    answer = fetch(sandbox.resolver, itself)
    assert urljoin(itself, answer.header("location") or "") == itself
    url, chain = _url(sandbox, world, HostileCase.ENDLESS_REDIRECTS), set()
    for _ in range(25):
        answer = fetch(sandbox.resolver, url)
        assert answer.status == 302
        chain.add(url)
        url = urljoin(url, answer.header("location") or "")
    assert len(chain) == 25


def test_enormous_html_is_streamed_whole(sandbox: Sandbox, world: World) -> None:
    answer = fetch(sandbox.resolver, _url(sandbox, world, HostileCase.ENORMOUS_HTML), timeout=30)
    assert answer.status == 200
    assert len(answer.body) == world.settings.enormous_html_bytes == 50_000_000
    assert answer.body.startswith(b"<!DOCTYPE html>")
    assert answer.body.endswith(b"</html>\n")


def test_servers_answer_many_clients_while_hostile_cases_run(
    sandbox: Sandbox, world: World
) -> None:
    stop = threading.Event()

    def drip() -> None:
        connection, target = connect(
            sandbox.resolver, _url(sandbox, world, HostileCase.SLOW_DRIP), 5
        )
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            while not stop.is_set():
                response.read(1)
        except OSError:
            pass
        finally:
            connection.close()

    drippers = [threading.Thread(target=drip) for _ in range(8)]
    for thread in drippers:
        thread.start()
    try:
        started = time.monotonic()
        for url in sandbox.start_urls:
            assert fetch(sandbox.resolver, url, timeout=5).status == 200
        assert time.monotonic() - started < 5
    finally:
        stop.set()
        for thread in drippers:
            thread.join(10)
