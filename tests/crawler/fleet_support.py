"""Helpers for the fleet tests: the Redis fixture, a small web the test steers, fleet members.

:class:`SteeredWeb` serves a few pages and benign generated pictures on a loopback address,
counts every request, and can *hold* an answer until the test lets it go (so the tests
decide which member fetches what, and when) or run a hook when a path is requested. Members
are ``python -m sentinelle crawl`` processes with ``SENTINELLE_REDIS_URL`` set.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from crawl_support import Database, read_lines

from support.pictures import draw_picture, encode
from support.redis_service import REDIS, reachable_redis

ADDRESS = "127.77.0.1"
HOST = "www.fleet.test"
#: Options for steered crawls: no delay, no retries (a second request is always a bug), a
#: timeout far longer than any hold.
STEERED = ("--delay", "0", "--timeout", "150", "--retries", "0", "--no-progress")
#: The longest the tests wait for anything (a hold, a request, a member).
WAIT = 90.0


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A fresh key prefix on the Redis at 127.0.0.1:6379 (its keys deleted afterwards)."""
    client = reachable_redis()
    prefix = f"sentinelle-test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def redis_client() -> Any:
    import redis

    return redis.Redis.from_url(REDIS)


@dataclass
class Resource:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html"
    location: str | None = None
    hold: threading.Event | None = None
    on_request: Callable[[], None] | None = None


@dataclass
class SteeredWeb:
    server: ThreadingHTTPServer
    resources: dict[str, Resource] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    times: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def page(self, path: str, *images: str) -> str:
        tags = "".join(f'<img src="{image}">' for image in images)
        self.resources[path] = Resource(body=f"<html><body>{tags}</body></html>".encode())
        return self.url(path)

    def picture(self, path: str, seed: int) -> bytes:
        data = encode(draw_picture(seed))
        self.resources[path] = Resource(body=data, content_type="image/jpeg")
        return data

    def hold(self, path: str) -> threading.Event:
        event = threading.Event()
        self.resources[path].hold = event
        return event

    def wait_for(self, path: str, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while not self.hits[path]:
            assert time.monotonic() < deadline, f"{path} was never requested"
            time.sleep(0.01)

    def env(self, db: Database, **extra: str) -> dict[str, str]:
        return db.env(SENTINELLE_EGRESS_ALLOW=f"{ADDRESS}/32:{self.port}", **extra)

    def release_all(self) -> None:
        for resource in self.resources.values():
            if resource.hold is not None:
                resource.hold.set()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        web = self.server.web  # type: ignore[attr-defined]
        with web.lock:
            web.hits[self.path] += 1
            web.times.setdefault(self.path, []).append(time.monotonic())
        resource = web.resources.get(self.path) or Resource(status=404, body=b"not here")
        if resource.on_request is not None:
            resource.on_request()
        if resource.hold is not None:
            resource.hold.wait(WAIT)
        self.send_response(resource.status)
        if resource.location:
            self.send_header("Location", resource.location)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        self.end_headers()
        self.wfile.write(resource.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def steered_web(tmp_path: Path) -> Iterator[SteeredWeb]:
    server = ThreadingHTTPServer((ADDRESS, 0), _Handler)
    server.daemon_threads = True
    web = SteeredWeb(server)
    server.web = web  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield web
    web.release_all()
    server.shutdown()
    server.server_close()


def known_list(folder: Path, *pictures: bytes) -> Path:
    """A hash list naming ``pictures`` (by MD5) as known."""
    lines = ["signal_type,hash,category,id,note"]
    for number, data in enumerate(pictures):
        lines.append(f"md5,{hashlib.md5(data).hexdigest()},csam,fleet-{number},benign test picture")
    path = folder / "known.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def hosts_file(folder: Path) -> Path:
    path = folder / "hosts"
    path.write_text(f"{ADDRESS} {HOST}\n")
    return path


def member(
    env: dict[str, str], folder: Path, *args: object, prefix: str | None = None, log: bool = False
) -> subprocess.Popen[str]:
    """``sentinelle crawl ARGS`` as a fleet member (with ``prefix``) or alone (None); with
    ``log``, its standard error goes to ``folder/stderr.txt`` as it is written."""
    folder.mkdir(parents=True, exist_ok=True)
    if prefix is not None:
        env = {**env, "SENTINELLE_REDIS_URL": REDIS, "SENTINELLE_REDIS_PREFIX": prefix}
    command = [sys.executable, "-m", "sentinelle", "crawl", *map(str, args),
               "--output", str(folder / "output.jsonl"), "--stats", str(folder / "stats.json")]
    if not log:
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with (folder / "stderr.txt").open("w") as stderr:  # the child keeps its own copy
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True)


def wait_for_log(folder: Path, text: str, timeout: float = WAIT) -> None:
    """Until ``text`` is in the standard error of a member started with ``log``."""
    deadline = time.monotonic() + timeout
    while text not in (folder / "stderr.txt").read_text():
        assert time.monotonic() < deadline, f"{text!r} never logged"
        time.sleep(0.02)


@dataclass
class Finished:
    returncode: int
    stderr: str
    output: list[dict[str, Any]]
    stats: dict[str, Any]

    def placements(self) -> Counter[tuple[str, str | None]]:
        return Counter((o["url"], o["page"]) for o in self.output)


def finish(process: subprocess.Popen[str], folder: Path, timeout: float = WAIT) -> Finished:
    import json

    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate(timeout=10)
        raise AssertionError(f"a member did not finish: {stderr[-3000:]}") from None
    if stderr is None:  # started with ``log``
        stderr = (folder / "stderr.txt").read_text()
    stats_file = folder / "stats.json"
    report = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return Finished(process.returncode, stderr, read_lines(folder / "output.jsonl"), report.get("stats", {}))
