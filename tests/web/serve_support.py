"""Running the real ``sentinelle serve`` in a subprocess, and a small HTTP client with cookies."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str  #: http://127.0.0.1:PORT/
    log: Path

    def stop(self, signal_number: int) -> int:
        self.process.send_signal(signal_number)
        return self.process.wait(timeout=60)


@contextmanager
def serving(env: dict[str, str], log: Path, *args: str) -> Iterator[Server]:
    """``sentinelle serve`` on a free loopback port, until the block ends (then SIGKILL if it
    is still running)."""
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "sentinelle", "serve", "--bind", "127.0.0.1:0", *args],
            env=env, stdout=subprocess.PIPE, stderr=errors, text=True,
        )
        try:
            assert process.stdout is not None
            line = _line(process.stdout, 90)
            assert line, f"the server never said it was listening: {log.read_text()[-3000:]}"
            listening = json.loads(line)
            assert listening["type"] == "listening"
            yield Server(process, listening["url"], log)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)


def _line(stream: IO[str], timeout: float) -> str:
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


class _BehindTlsProxy(DefaultCookiePolicy):
    """The browser talks HTTPS to the proxy, so its Secure cookies do go back."""

    def return_ok_secure(self, cookie: Any, request: Any) -> bool:
        return True


class Browser:
    """urllib with a cookie jar, not following redirects (the test looks at them). With
    ``public_host``, every request looks as it does behind a TLS reverse proxy for that host:
    ``Host`` kept, ``X-Forwarded-Proto: https`` added by the proxy."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    def __init__(self, public_host: str = "") -> None:
        self.cookies = CookieJar(_BehindTlsProxy() if public_host else None)
        self.proxied = {"Host": public_host, "X-Forwarded-Proto": "https"} if public_host else {}
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect())

    def request(self, url: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        data = urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers={**self.proxied, **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, dict(answer.headers.items()), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers.items()), error.read().decode()

    def cookie(self, name: str) -> str:
        return next(c.value or "" for c in self.cookies if c.name == name)


def without_service_variables() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SENTINELLE_")}
