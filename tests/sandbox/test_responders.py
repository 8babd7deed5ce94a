"""Simulated providers reading their mail: routed by address, acting by policy on the sandbox's
clock, answering on the page the notice's link opens, everything in the takedown logs.

Real parts throughout: the sandbox's servers and desks, the mail sink (messages arrive over
SMTP), and an HTTP server on loopback standing in for ``sentinelle serve``'s response page
(the real page is answered in tests/demo). No Django.
"""

from __future__ import annotations

import json
import smtplib
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sandbox_support import fetch

from sentinelle.clock import ManualClock
from sentinelle.sandbox import (
    PolicyAction,
    Sandbox,
    SandboxThread,
    TakedownPolicy,
    build_world,
    read_log,
)
from sentinelle.sandbox.mailsink import MailSink
from sentinelle.sandbox.responders import Responders, read_message

POLICIES = (
    TakedownPolicy(PolicyAction.IMMEDIATE),
    TakedownPolicy(PolicyAction.DELAYED, 7200.0),
    TakedownPolicy(PolicyAction.NEVER),
    TakedownPolicy(PolicyAction.DISPUTE),
)
REACTION = 600.0
TOKEN = "SN-2026-000001:abc:sig"


class AnswerPage(ThreadingHTTPServer):
    """A page like the response page: a form per item and one for the whole notice, a CSRF
    cookie and field that must match, a 303 to the confirmation. It keeps what was posted."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _PageHandler)
        self.posted: list[dict[str, Any]] = []
        self.status = 200

    @property
    def link(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/respond/{TOKEN}/"


class _PageHandler(BaseHTTPRequestHandler):
    server: AnswerPage

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.server.status != 200:
            self.send_error(self.server.status)
            return
        radios = "".join(f'<input type="radio" name="kind" value="{k}">' for k in ("removed", "dispute", "question"))
        forms = "".join(
            f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="tok">'
            f'<input type="hidden" name="item" value="{item}"><input type="hidden" name="key" value="key{n}">'
            f'{radios}<textarea name="text"></textarea><button>Send</button></form>'
            for n, item in enumerate(("11111111-2222-3333-4444-555555555555", ""))
        )
        self._answer(200, f"<!DOCTYPE html><title>Notice</title>{forms}".encode(), {"Set-Cookie": "csrftoken=tok"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        fields = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        cookie_ok = "csrftoken=tok" in (self.headers.get("Cookie") or "")
        self.server.posted.append({**fields, "cookie": cookie_ok, "origin": self.headers.get("Origin")})
        if not cookie_ok or fields.get("csrfmiddlewaretoken") != "tok":
            self._answer(403, b"csrf", {})
            return
        self._answer(303, b"", {"Location": f"{self.path}?received={fields['key']}"})

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": "text/html", "Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def page() -> Iterator[AnswerPage]:
    server = AnswerPage()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 6, 1, 12, tzinfo=UTC))


@pytest.fixture
def world_running(tmp_path: Path, clock: ManualClock) -> Iterator[Sandbox]:
    world = build_world(77, images=24, policies=POLICIES)
    with SandboxThread(world, log_folder=tmp_path / "logs", clock=lambda: clock.now().timestamp()) as sandbox:
        yield sandbox


@pytest.fixture
def sink() -> Iterator[MailSink]:
    with MailSink() as server:
        yield server


def _urls(sandbox: Sandbox, slug: str, count: int = 2) -> list[str]:
    hosts = {s.host for s in sandbox.world.sites if s.provider == slug}
    found = [sandbox.url(s.location) for s in sandbox.world.served
             if s.location.host in hosts and "?" not in s.location.path]
    return sorted(set(found))[:count]


def _mail(sink: MailSink, to: str, urls: list[str], *, link: str = "", reference: str = "SN-2026-000001",
          charset: str = "utf-8") -> None:
    message = EmailMessage()
    message["From"] = "notices@hotline.test"
    message["To"] = to
    message["Subject"] = f"[{reference}] Removal request"
    message["X-Sentinelle-Reference"] = reference
    message.set_content("Please remove:\n\n" + "\n".join(urls) + (f"\n\nAnswer here: {link}\n" if link else "\n"))
    for number, url in enumerate(urls, 1):
        report = json.dumps({"xarf_version": "4.2.0", "url": url, "description": "hébergement"}, ensure_ascii=False)
        message.add_attachment(report.encode(charset), maintype="application", subtype="json",
                               filename=f"{reference}-{number:03d}.xarf.json")
    with smtplib.SMTP(sink.host, sink.port, timeout=10) as client:
        client.send_message(message)


def _status(sandbox: Sandbox, url: str) -> int:
    return fetch(sandbox.resolver, url).status


def _responders(sandbox: Sandbox, sink: MailSink, clock: ManualClock) -> Responders:
    return Responders(sandbox, sink, clock=lambda: clock.now().timestamp(), reaction=REACTION)


def test_the_immediate_provider_removes_after_reading_and_says_so(
    world_running: Sandbox, sink: MailSink, clock: ManualClock, page: AnswerPage
) -> None:
    provider = world_running.world.providers[0]
    urls = _urls(world_running, provider.slug)
    _mail(sink, provider.abuse_email, urls, link=page.link)
    sink.wait_for(1, timeout=10)
    responders = _responders(world_running, sink, clock)
    assert responders.poll() == 1 and responders.poll() == 0
    assert responders.act() == []  # it reads its mail REACTION seconds later
    assert responders.next_due() == clock.now().timestamp() + REACTION
    assert all(_status(world_running, url) == 200 for url in urls)
    clock.advance(timedelta(seconds=REACTION))
    [reaction] = responders.act()
    assert [_status(world_running, url) for url in urls] == [provider.gone_status] * 2
    assert (reaction.answer, reaction.answered) == ("removed", True)
    [posted] = page.posted
    assert (posted["kind"], posted["item"], posted["key"], posted["cookie"]) == ("removed", "", "key1", True)
    assert posted["origin"] == page.link.split("/respond/")[0]
    log = read_log(world_running.log_folder / f"{provider.slug}.jsonl")
    assert [(r["event"], r.get("via")) for r in log][:1] == [("request", "mail")]
    assert {r["url"] for r in log if r["event"] == "removed"} == set(urls)
    answer = [r for r in log if r["event"] == "answer"]
    assert answer == [{**answer[0], "kind": "removed", "answered": True, "by": provider.slug,
                       "reference": "SN-2026-000001"}]
    assert responders.next_due() is None


def test_the_delayed_provider_removes_on_the_sandbox_clock(
    world_running: Sandbox, sink: MailSink, clock: ManualClock, page: AnswerPage
) -> None:
    provider = world_running.world.providers[1]
    urls = _urls(world_running, provider.slug)
    _mail(sink, provider.abuse_email, urls, link=page.link)
    sink.wait_for(1, timeout=10)
    responders = _responders(world_running, sink, clock)
    responders.poll()
    clock.advance(timedelta(seconds=REACTION))
    [reaction] = responders.act()
    assert {r["action"] for r in reaction.results} == {"scheduled"} and reaction.answer == ""
    clock.advance(timedelta(seconds=7199))
    assert all(_status(world_running, url) == 200 for url in urls)
    clock.advance(timedelta(seconds=1))
    assert [_status(world_running, url) for url in urls] == [provider.gone_status] * 2
    assert page.posted == []


def test_the_never_provider_ignores_and_the_disputing_one_disputes_on_the_page(
    world_running: Sandbox, sink: MailSink, clock: ManualClock, page: AnswerPage
) -> None:
    never, dispute = world_running.world.providers[2], world_running.world.providers[3]
    _mail(sink, never.technical_email, _urls(world_running, never.slug), link=page.link)
    _mail(sink, dispute.abuse_email, _urls(world_running, dispute.slug), link=page.link, reference="SN-2026-000002")
    _mail(sink, dispute.abuse_email, _urls(world_running, dispute.slug), reference="SN-2026-000003")  # no link
    sink.wait_for(3, timeout=10)
    responders = _responders(world_running, sink, clock)
    responders.poll()
    clock.advance(timedelta(seconds=REACTION))
    ignored, disputed, unlinked = responders.act()
    assert {r["action"] for r in ignored.results} == {"ignored"} and ignored.party.slug == never.slug
    assert {r["action"] for r in disputed.results} == {"disputed"}
    assert (disputed.answer, disputed.answered) == ("dispute", True)
    assert [p["kind"] for p in page.posted] == ["dispute"] and page.posted[0]["text"]
    assert (unlinked.answer, unlinked.answered, unlinked.answer_detail) == (
        "dispute", False, "the message carries no response link")
    assert all(_status(world_running, url) == 200 for url in _urls(world_running, dispute.slug))
    log = read_log(world_running.log_folder / f"{dispute.slug}.jsonl")
    assert [(r["event"], r["reference"], r.get("answered")) for r in log if r["event"] == "answer"] == [
        ("answer", "SN-2026-000002", True), ("answer", "SN-2026-000003", False)]


def test_the_cdn_and_the_upstream_pass_urls_on_to_the_hosting_desk(
    world_running: Sandbox, sink: MailSink, clock: ManualClock
) -> None:
    world = world_running.world
    fronted = world.internet.cdn.fronted[0]
    fronted_urls = sorted({world_running.url(s.location) for s in fronted.served if "?" not in s.location.path})[:2]
    origin = world.provider(fronted.site.provider)
    never = world.providers[2]
    upstream = world.internet.upstream_of(never.slug)
    assert upstream is not None
    _mail(sink, world.internet.cdn.abuse_email, fronted_urls, reference="SN-2026-000010")
    _mail(sink, upstream.abuse_email, _urls(world_running, never.slug), reference="SN-2026-000011")
    sink.wait_for(2, timeout=10)
    responders = _responders(world_running, sink, clock)
    responders.poll()
    clock.advance(timedelta(seconds=REACTION))
    cdn, up = responders.act()
    assert (cdn.party.kind, up.party.kind) == ("cdn", "upstream")
    assert {r["provider"] for r in cdn.results} == {origin.slug}
    assert {(r["provider"], r["action"]) for r in up.results} == {(never.slug, "ignored")}
    origin_log = read_log(world_running.log_folder / f"{origin.slug}.jsonl")
    assert [(r["via"], r["reference"]) for r in origin_log if r["event"] == "request"] == [("cdn", "SN-2026-000010")]
    never_log = read_log(world_running.log_folder / f"{never.slug}.jsonl")
    assert [r["via"] for r in never_log if r["event"] == "request"] == ["upstream"]


def test_a_message_without_reports_or_for_nobody_asks_for_nothing(
    world_running: Sandbox, sink: MailSink, clock: ManualClock, page: AnswerPage
) -> None:
    provider = world_running.world.providers[0]
    _mail(sink, provider.abuse_email, [], link=page.link)  # a retraction: no XARF reports
    _mail(sink, "reports@hotline-nl.test", _urls(world_running, provider.slug))
    sink.wait_for(2, timeout=10)
    responders = _responders(world_running, sink, clock)
    responders.poll()
    clock.advance(timedelta(seconds=REACTION))
    retraction, hotline = responders.act()
    assert (retraction.results, retraction.answer) == ([], "")
    assert (hotline.party.kind, hotline.results) == ("other", [])
    assert all(_status(world_running, url) == 200 for url in _urls(world_running, provider.slug))
    assert page.posted == [] and not (world_running.log_folder / f"{provider.slug}.jsonl").exists()


def test_an_answer_the_page_refuses_is_kept_with_the_reason(
    world_running: Sandbox, sink: MailSink, clock: ManualClock, page: AnswerPage
) -> None:
    provider = world_running.world.providers[0]
    page.status = 404
    _mail(sink, provider.abuse_email, _urls(world_running, provider.slug), link=page.link)
    sink.wait_for(1, timeout=10)
    responders = _responders(world_running, sink, clock)
    responders.poll()
    clock.advance(timedelta(seconds=REACTION))
    [reaction] = responders.act()
    assert (reaction.answer, reaction.answered) == ("removed", False)
    assert reaction.answer_detail == "the response page answered 404"


def test_reports_in_latin_1_are_still_read(sink: MailSink) -> None:
    _mail(sink, "abuse@x.test", ["http://www.a.example/1.jpg"], link="http://127.0.0.1:9/respond/T:1:s/",
          charset="latin-1")
    [mail] = sink.wait_for(1, timeout=10)
    assert read_message(mail.message) == (["http://www.a.example/1.jpg"], "http://127.0.0.1:9/respond/T:1:s/")
