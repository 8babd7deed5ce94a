"""Takedowns: through each provider's desk over HTTP or from Python, following its policy,
with everything written to the provider's log."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sandbox_support import fetch

from sentinelle.sandbox import (
    TAKEDOWN_PATH,
    MediaKind,
    PolicyAction,
    Provider,
    Sandbox,
    SandboxThread,
    TakedownPolicy,
    UnknownProvider,
    World,
    build_world,
    read_log,
)

POLICIES = (
    TakedownPolicy(PolicyAction.IMMEDIATE),
    TakedownPolicy(PolicyAction.DELAYED, 0.3),
    TakedownPolicy(PolicyAction.NEVER),
    TakedownPolicy(PolicyAction.DISPUTE),
)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Sandbox]:
    world = build_world(77, images=24, policies=POLICIES)
    with SandboxThread(world, log_folder=tmp_path / "logs") as sandbox:
        yield sandbox


def _media_urls(sandbox: Sandbox, provider: Provider) -> list[str]:
    """Plain image URLs (no query, no redirect) on the provider's sites."""
    hosts = {s.host for s in sandbox.world.sites if s.provider == provider.slug}
    urls: list[str] = []
    for served in sandbox.world.served:
        if served.location.host in hosts and "?" not in served.location.path:
            media = sandbox.world.media[served.media]
            if media.kind is not MediaKind.DISTRACTOR or len(urls) < 3:
                urls.append(sandbox.url(served.location))
    assert len(urls) >= 2
    return urls


def _post(sandbox: Sandbox, provider: Provider, payload: object) -> tuple[int, dict[str, Any]]:
    answer = fetch(
        sandbox.resolver,
        sandbox.control_url(provider.slug),
        method="POST",
        body=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    return answer.status, json.loads(answer.body)


def test_immediate_takedown_over_http_then_404_and_a_log(running: Sandbox) -> None:
    provider = running.world.providers[0]
    first, second = _media_urls(running, provider)[:2]
    assert fetch(running.resolver, first).status == 200
    status, receipt = _post(running, provider, {"urls": [first], "reference": "N-2026-0001"})
    assert status == 200
    assert receipt == {
        "provider": provider.slug,
        "reference": "N-2026-0001",
        "results": [{"url": first, "action": "removed"}],
    }
    assert fetch(running.resolver, first).status == provider.gone_status == 404
    assert fetch(running.resolver, first + "?v=2").status == 404  # the file is gone
    assert fetch(running.resolver, second).status == 200
    log = read_log(running.log_folder / f"{provider.slug}.jsonl")
    assert [r["event"] for r in log] == ["request", "removed"]
    request, removed = log
    assert request["urls"] == [first] and request["via"] == "http"
    assert request["reference"] == removed["reference"] == "N-2026-0001"
    assert removed["url"] == first and removed["time"].endswith("Z")
    _, again = _post(running, provider, {"urls": [first], "reference": "N-2026-0002"})
    assert again["results"] == [{"url": first, "action": "already-removed"}]


def test_delayed_removal_happens_later_with_410(running: Sandbox) -> None:
    provider = running.world.providers[1]
    url = _media_urls(running, provider)[0]
    (receipt,) = running.take_down([url], reference="N-7")
    (result,) = receipt.results
    assert result.action == "scheduled" and result.removes_at is not None
    assert fetch(running.resolver, url).status == 200
    time.sleep(0.8)
    assert fetch(running.resolver, url).status == provider.gone_status == 410
    events = read_log(running.log_folder / f"{provider.slug}.jsonl")
    assert [e["event"] for e in events] == ["request", "removed"]
    assert events[0]["via"] == "python"
    assert events[0]["results"][0]["removes_at"] == events[1]["time"]


@pytest.mark.parametrize(("index", "action"), [(2, "ignored"), (3, "disputed")])
def test_providers_that_never_remove(running: Sandbox, index: int, action: str) -> None:
    provider = running.world.providers[index]
    url = _media_urls(running, provider)[0]
    status, receipt = _post(running, provider, {"urls": [url], "reference": "N-9"})
    assert status == 200 and receipt["results"] == [{"url": url, "action": action}]
    assert fetch(running.resolver, url).status == 200
    events = read_log(running.log_folder / f"{provider.slug}.jsonl")
    assert [e["event"] for e in events] == ["request"]
    assert events[0]["results"][0]["action"] == action


def test_a_desk_refuses_what_it_does_not_host(running: Sandbox) -> None:
    mine, theirs = running.world.providers[0], running.world.providers[2]
    elsewhere = _media_urls(running, theirs)[0]
    _, receipt = _post(
        running, mine, {"urls": [elsewhere, "ftp://x/y", "nonsense"], "reference": "N-3"}
    )
    assert [r["action"] for r in receipt["results"]] == [
        "not-hosted-here",
        "invalid-url",
        "invalid-url",
    ]
    assert fetch(running.resolver, elsewhere).status == 200


def test_a_page_can_be_taken_down_and_its_images_stay(running: Sandbox) -> None:
    world: World = running.world
    provider = world.providers[0]
    page = next(
        p
        for p in world.pages
        if p.placements
        and p.location.path != "/"
        and world.site(p.location.host).provider == provider.slug  # type: ignore[union-attr]
        and all(pl.final and pl.final.host == p.location.host for pl in p.placements)
    )
    running.desk(provider.slug).receive([running.url(page.location)], "N-4")
    assert fetch(running.resolver, running.url(page.location)).status == 404
    final = page.placements[0].final
    assert final is not None and fetch(running.resolver, running.url(final)).status == 200


def test_bad_requests_to_a_desk(running: Sandbox) -> None:
    provider = running.world.providers[0]
    url = running.control_url(provider.slug)
    assert fetch(running.resolver, url).status == 405
    assert fetch(running.resolver, url, method="POST", body=b"{").status == 400
    assert _post(running, provider, {"reference": "x"})[0] == 400
    assert _post(running, provider, {"urls": "http://a/"})[0] == 400
    home = url.removesuffix(TAKEDOWN_PATH) + "/"
    about = json.loads(fetch(running.resolver, home).body)
    assert about["asn"] == provider.asn and about["network"] == str(provider.network)
    assert about["policy"] == "immediate" and about["takedown"] == TAKEDOWN_PATH
    with pytest.raises(UnknownProvider):
        running.desk("nobody")
    assert not (running.log_folder / f"{provider.slug}.jsonl").exists()
