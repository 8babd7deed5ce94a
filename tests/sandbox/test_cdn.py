"""The CDN: its edge passes the origin's answers through byte for byte, it discloses the
origin of a URL it fronts, and RDAP says the edge address is the CDN's."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlsplit

from sandbox_rdap_checks import lookup, rdap_json, vcard, with_role
from sandbox_support import Fetched, fetch, follow

from sentinelle.sandbox import (
    PolicyAction,
    Sandbox,
    SandboxResolver,
    SandboxThread,
    TakedownPolicy,
    World,
    manifest_records,
    with_policies,
)


def _fronted_urls(sandbox: Sandbox) -> list[str]:
    (fronted,) = sandbox.cdn.fronted
    locations = [p.location for p in fronted.pages] + [s.location for s in fronted.served]
    locations += [r.location for r in fronted.redirects]
    host = fronted.site.host
    urls = sorted(sandbox.url(location) for location in locations)
    return [*urls, f"http://{host}:{sandbox.port}/no-such-page.html"]


def _same_answer(edge: Fetched, origin: Fetched) -> None:
    assert edge.status == origin.status
    assert edge.body == origin.body
    for name in ("content-type", "content-length", "location", "content-encoding"):
        assert edge.header(name) == origin.header(name), name


def test_the_fronted_site_resolves_to_the_edge_in_the_cdns_network(
    sandbox: Sandbox, world: World
) -> None:
    cdn = sandbox.cdn
    (fronted,) = cdn.fronted
    assert sandbox.resolver.resolve(fronted.site.host) == [cdn.edge_ip]
    assert sandbox.resolver.resolve(cdn.edge_host) == [cdn.edge_ip]
    assert sandbox.resolver.resolve(cdn.abuse_host) == [cdn.abuse_ip]
    assert world.provider_of(cdn.edge_ip) is None
    origin = world.provider_of(fronted.site.ip)
    assert origin is not None and origin.slug == fronted.site.provider == world.providers[1].slug
    assert fronted.site.host not in {site.host for site in world.sites}


def test_the_edge_passes_every_answer_through_unchanged(sandbox: Sandbox) -> None:
    (fronted,) = sandbox.cdn.fronted
    direct = SandboxResolver({fronted.site.host: fronted.site.ip})
    statuses = set()
    for url in _fronted_urls(sandbox):
        for method in ("GET", "HEAD"):
            edge = fetch(sandbox.resolver, url, method=method)
            origin = fetch(direct, url, method=method)
            _same_answer(edge, origin)
            assert edge.header("server") == sandbox.cdn.slug != origin.header("server")
            assert edge.header("via") == f"1.1 {sandbox.cdn.slug}"
            statuses.add(edge.status)
    assert statuses == {200, 302, 404}


def test_the_manifest_truth_holds_through_the_edge(sandbox: Sandbox, world: World) -> None:
    records = list(manifest_records(world, sandbox.port))
    (site,) = [r for r in records if r["type"] == "fronted-site"]
    placements = [r for r in records if r["type"] == "fronted-placement"]
    assert {p["expected"] for p in placements} == {"exact", "near", "none"}
    for placement in placements:
        hops, answer = follow(sandbox.resolver, placement["request"])
        assert [hop.status for hop in hops] == placement["redirects"]
        assert answer.url == placement["final"]
        assert answer.header("content-type") == placement["content_type"]
        assert answer.body == sandbox.images.bytes_of(placement["media"])
        assert placement["page"].startswith(site["url"])
    home = fetch(sandbox.resolver, site["url"])
    assert home.status == 200
    on_home = [p for p in placements if p["page"] == site["url"]]
    assert len(on_home) == 3
    assert all(f'src="{urlsplit(p["request"]).path}"' in home.text for p in on_home)


def test_a_host_the_edge_does_not_front_is_not_served(sandbox: Sandbox, world: World) -> None:
    cdn = sandbox.cdn
    elsewhere = SandboxResolver({world.sites[0].host: cdn.edge_ip})
    answer = fetch(elsewhere, f"http://{world.sites[0].host}:{sandbox.port}/")
    assert answer.status == 404


def _origin(sandbox: Sandbox, url: str | None) -> Fetched:
    query = "" if url is None else f"?url={quote(url, safe='')}"
    return fetch(sandbox.resolver, f"{sandbox.cdn_origin_url}{query}")


def test_the_cdn_discloses_the_origin_of_urls_it_fronts(sandbox: Sandbox, world: World) -> None:
    (fronted,) = sandbox.cdn.fronted
    url = f"http://{fronted.site.host}:{sandbox.port}/media/x.jpg?v=2&w=3"
    answer = _origin(sandbox, url)
    assert answer.status == 200
    origin = world.provider(fronted.site.provider)
    assert json.loads(answer.body) == {
        "url": url,
        "host": fronted.site.host,
        "cdn": sandbox.cdn.slug,
        "origin_ip": str(fronted.site.ip),
        "origin_network": str(origin.network),
        "provider": origin.slug,
    }
    ordinary = _origin(sandbox, f"http://{world.sites[0].host}:{sandbox.port}/")
    assert ordinary.status == 404 and "error" in json.loads(ordinary.body)
    for bad in (None, "", "ftp://x.example/", "not a url", "http://[::1/"):
        assert _origin(sandbox, bad).status == 400, bad
    desk = f"http://{sandbox.cdn.abuse_host}:{sandbox.port}/"
    described = json.loads(fetch(sandbox.resolver, desk).body)
    assert described["fronts"] == [fronted.site.host]
    refused = fetch(sandbox.resolver, sandbox.cdn_origin_url, method="POST", body=b"{}")
    assert refused.status == 405


def test_rdap_names_the_cdn_for_its_edge_address(sandbox: Sandbox) -> None:
    cdn = sandbox.cdn
    hops, answer = lookup(sandbox.resolver, f"{sandbox.rdap_url}ip/{cdn.edge_ip}")
    location = hops[0].header("location")
    assert location is not None and location.startswith(sandbox.registry_url("south"))
    network = rdap_json(answer)
    assert network["startAddress"] == str(cdn.network.network_address)
    assert vcard(with_role(network["entities"], "registrant")[0], "fn") == [cdn.name]
    (abuse,) = with_role(network["entities"], "abuse")
    assert vcard(abuse, "email") == [cdn.abuse_email] == [f"abuse@{cdn.slug}.test"]
    assert sandbox.cdn_origin_url.split("?")[0] in json.dumps(network["remarks"])
    autnum = rdap_json(lookup(sandbox.resolver, f"{sandbox.rdap_url}autnum/{cdn.asn}")[1])
    assert autnum["name"] == f"{cdn.slug.upper()}-AS"


def test_a_takedown_at_the_origin_shows_through_the_edge(world: World, tmp_path: Path) -> None:
    origin_slug = world.internet.cdn.fronted[0].site.provider
    immediate = with_policies(world, {origin_slug: TakedownPolicy(PolicyAction.IMMEDIATE)})
    with SandboxThread(immediate, log_folder=tmp_path) as running:
        (fronted,) = running.cdn.fronted
        served = running.url(fronted.served[0].location)
        assert fetch(running.resolver, served).status == 200
        (receipt,) = running.take_down([served], reference="N-CDN-1")
        origin = world.provider(fronted.site.provider)
        assert receipt.provider == origin.slug
        gone = fetch(running.resolver, served)
        assert gone.status == origin.gone_status
        assert gone.header("server") == running.cdn.slug
