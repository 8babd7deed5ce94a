"""``sentinelle serve`` for real: gunicorn in a subprocess on a loopback port, a notice's signed
link opened, a dispute sent with the CSRF cookie and token a browser would send, the server
stopped by a signal. On SQLite, and on PostgreSQL when it answers."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from serve_support import Browser, serving

from support.cli import clean_env, run_cli
from support.databases import migrated_database

HERE = Path(__file__).resolve().parent


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a fresh, migrated database."""
    with migrated_database(request.param, tmp_path, "h7responses_serve") as env:
        yield env


def _seed(env: dict[str, str], language: str = "en") -> dict[str, object]:
    seeded = subprocess.run([sys.executable, str(HERE / "web_seed.py"), json.dumps({"seeds": [1, 2], "language": language})],
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert seeded.returncode == 0, seeded.stderr
    return json.loads(seeded.stdout)  # type: ignore[no-any-return]


def test_a_provider_disputes_an_item_through_the_real_server(database: dict[str, str], tmp_path: Path) -> None:
    env = {**database, "SENTINELLE_PUBLIC_URL": "https://hotline.example"}
    notice = _seed(env)
    link = str(notice["link"])
    assert link.startswith("https://hotline.example/respond/SN-")
    token = urlsplit(link).path.split("/")[2]
    with serving(env, tmp_path / "serve.log", "--workers", "2", "--threads", "2") as server:
        assert server.url.startswith("http://127.0.0.1:")
        origin = "https://hotline.example"  # what the browser sees, through a TLS reverse proxy
        server_url = server.url.rstrip("/")
        page_url = server_url + urlsplit(link).path
        browser = Browser(public_host="hotline.example")
        status, headers, page = browser.request(page_url)
        assert status == 200, page
        assert "; Secure" in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]
        assert headers["Cache-Control"] == "no-store" and headers["Referrer-Policy"] == "same-origin"
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert "http://files.example.net/gallery/1.jpg" in page
        first_item = str(notice["items"][0])  # type: ignore[index]
        form = re.search(rf'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">\s*'
                         rf'<input type="hidden" name="item" value="{first_item}">\s*'
                         r'<input type="hidden" name="key" value="([0-9a-f]+)">', page)
        assert form is not None, page
        csrf, key = form.groups()
        assert browser.cookie("csrftoken")
        answer = {"csrfmiddlewaretoken": csrf, "item": first_item, "key": key, "kind": "dispute",
                  "text": "This is a stock photo we licensed. <b>not bold</b>"}
        with ThreadPoolExecutor(3) as pool:  # a double (triple) click: the posts arrive together
            sent = list(pool.map(lambda _: browser.request(page_url, answer, {"Origin": origin}), range(3)))
        assert [status for status, _, _ in sent] == [303, 303, 303]
        headers = sent[0][1]
        assert headers["Location"].startswith(f"{urlsplit(page_url).path}?received={key}")
        assert {h["Location"] for _, h, _ in sent} == {headers["Location"]}
        status, _, confirmation = browser.request(server_url + headers["Location"])
        assert status == 200 and "Thank you: your answer was received" in confirmation
        assert "&lt;b&gt;not bold&lt;/b&gt;" in confirmation

        forged = Browser(public_host="hotline.example")  # another site's form: no cookie, its own origin
        status, _, refused = forged.request(page_url, answer | {"key": "f" * 32}, {"Origin": "https://evil.example"})
        assert status == 403 and "The form could not be accepted" in refused
        status, _, refused = browser.request(page_url, answer | {"key": "g" * 32}, {"Origin": "https://evil.example"})
        assert status == 403  # the cookie and token are right, the origin is not
        status, _, invalid = browser.request(server_url + f"/respond/{token[:-3]}xyz/")
        assert status == 404 and "This link is not valid" in invalid
        status, _, health = browser.request(server_url + "/healthz")
        assert (status, health) == (200, "ok\n")
        assert server.stop(signal.SIGTERM) == 0
    log = server.log.read_text()
    assert "sentinelle serve: stopped" in log
    assert "/respond/[link]/" in log and token not in log  # the access log hides the capability
    assert "127.0.0.1 " not in log.replace("listening on http://127.0.0.1:", "")  # no client address logged

    shown = run_cli("notices", "show", str(notice["reference"]), env=env)
    assert shown.returncode == 0, shown.stderr
    report = json.loads(shown.stdout)
    statuses = {i["report_id"]: i["status"] for i in report["items"]}
    assert statuses == {first_item: "disputed", str(notice["items"][1]): "open"}  # type: ignore[index]
    assert [e["event"] for e in report["timeline"]].count("response-dispute") == 1
    verified = run_cli("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stdout


def test_sigint_stops_an_idle_server_cleanly(tmp_path: Path) -> None:
    env = clean_env(str(tmp_path / "data"))
    assert run_cli("migrate", env=env).returncode == 0
    with serving(env, tmp_path / "serve.log", "--workers", "1") as server:
        assert server.stop(signal.SIGINT) == 0
    assert "sentinelle serve: stopped" in server.log.read_text()


def test_serve_refuses_an_unmigrated_database_and_bad_options(tmp_path: Path) -> None:
    env = clean_env(str(tmp_path / "data"))
    unmigrated = run_cli("serve", "--bind", "127.0.0.1:0", env=env)
    assert unmigrated.returncode == 3
    assert "the database is not migrated" in unmigrated.stderr and "sentinelle migrate" in unmigrated.stderr
    for bad in (["--bind", "127.0.0.1"], ["--bind", "host name:80"], ["--bind", "[zz]:80"], ["--workers", "0"],
                ["--threads", "100"]):
        assert run_cli("serve", *bad, env=env).returncode == 2, bad
    bad_url = run_cli("serve", env={**env, "SENTINELLE_PUBLIC_URL": "hotline.example/respond"})
    assert bad_url.returncode == 3 and "SENTINELLE_PUBLIC_URL must look like" in bad_url.stderr
