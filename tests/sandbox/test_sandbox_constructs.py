"""Every construct is served as described: the reference is in the page where a browser
would find it, and following it gives the right redirects, status, Content-Type and bytes."""

from __future__ import annotations

import base64
from collections import defaultdict
from urllib.parse import urljoin

import pytest
from sandbox_support import Ref, css_urls, fetch, follow, read_html

from sentinelle.sandbox import Construct, Page, PageKind, Placement, Sandbox, World, Writing

#: Where each construct's reference must be found ("how" of sandbox_support.Ref).
EXPECTED_HOW: dict[Construct, set[str]] = {
    Construct.IMG_SRC: {"img[src]"},
    Construct.SRCSET: {"img[srcset]"},
    Construct.PICTURE: {"picture/source[srcset]", "picture/img[src]"},
    Construct.NOSCRIPT: {"noscript/img[src]"},
    Construct.INLINE_STYLE: {"style-attribute"},
    Construct.STYLE_ELEMENT: {"style-element"},
    Construct.LINK_HREF: {"a[href]"},
    Construct.OG_IMAGE: {"meta[og:image]"},
    Construct.TWITTER_IMAGE: {"meta[twitter:image]"},
    Construct.VIDEO_POSTER: {"video[poster]"},
    Construct.PRELOAD: {"link[preload]"},
    Construct.DATA_URI: {"img[src]"},
    Construct.BASE_HREF: {"img[src]"},
    Construct.IFRAME: {"img[src]"},
    Construct.REDIRECT: {"img[src]"},
    Construct.NO_EXTENSION: {"img[src]"},
    Construct.WRONG_TYPE: {"img[src]"},
    Construct.QUERY_STRING: {"img[src]"},
    Construct.PAGE_REDIRECT: {"img[src]"},
    Construct.PAGINATION: {"img[src]"},
    Construct.GALLERY: {"img[src]", "a/img[src]"},
}


def _expected_how(placement: Placement) -> set[str]:
    if placement.construct is Construct.LAZY:
        attribute = placement.detail
        return {f"div[{attribute}]" if attribute == "data-bg" else f"img[{attribute}]"}
    return EXPECTED_HOW.get(placement.construct, set())


def _documents(sandbox: Sandbox, world: World) -> dict[str, list[Ref]]:
    """Every document's references, fetched over HTTP (stylesheets and frames included)."""
    found: dict[str, list[Ref]] = {}
    for page in world.pages:
        url = sandbox.url(page.location)
        answer = fetch(sandbox.resolver, url)
        assert answer.status == 200, url
        assert answer.header("content-type") == "text/html; charset=utf-8"
        reader = read_html(answer.text)
        found[url] = reader.references(url)
        for href in reader.stylesheets:
            sheet_url = urljoin(url, href)
            sheet = fetch(sandbox.resolver, sheet_url)
            assert sheet.status == 200
            assert (sheet.header("content-type") or "").startswith("text/css")
            found[sheet_url] = [
                Ref("stylesheet", raw, urljoin(sheet_url, raw)) for raw in css_urls(sheet.text)
            ]
    return found


@pytest.fixture(scope="module")
def documents(sandbox: Sandbox, world: World) -> dict[str, list[Ref]]:
    return _documents(sandbox, world)


def test_every_placement_is_written_where_a_browser_finds_it(
    sandbox: Sandbox, world: World, documents: dict[str, list[Ref]]
) -> None:
    placements = list(world.placements())
    assert placements
    for placement in placements:
        refs = documents[sandbox.url(placement.document)]
        if placement.writing is Writing.DATA:
            data = [r for r in refs if r.raw.startswith("data:")]
            assert len(data) == 1
            header, _, payload = data[0].raw.partition(",")
            assert header == f"data:{placement.content_type};base64"
            assert base64.b64decode(payload) == sandbox.images.bytes_of(placement.media)
            continue
        assert placement.request is not None
        wanted = sandbox.url(placement.request)
        matching = [r for r in refs if r.url == wanted]
        assert matching, f"{placement.construct} {placement.detail}: {wanted} not in {refs}"
        if placement.document != placement.page and placement.construct is Construct.STYLESHEET:
            assert {r.how for r in matching} == {"stylesheet"}
        else:
            assert {r.how for r in matching} & _expected_how(placement), (placement, matching)


def test_every_reference_leads_to_the_right_bytes(sandbox: Sandbox, world: World) -> None:
    checked = 0
    for placement in world.placements():
        if placement.request is None:
            continue
        hops, answer = follow(sandbox.resolver, sandbox.url(placement.request))
        assert [h.status for h in hops] == list(placement.hops)
        assert placement.final is not None
        assert answer.url == sandbox.url(placement.final)
        assert answer.status == 200
        assert answer.header("content-type") == placement.content_type
        assert answer.body == sandbox.images.bytes_of(placement.media)
        assert answer.header("content-length") == str(len(answer.body))
        checked += 1
    assert checked > len(world.media) // 2


def test_writings_are_as_described(
    sandbox: Sandbox, world: World, documents: dict[str, list[Ref]]
) -> None:
    seen = defaultdict(set)
    for placement in world.placements():
        if placement.request is None:
            continue
        refs = documents[sandbox.url(placement.document)]
        raw = next(r.raw for r in refs if r.url == sandbox.url(placement.request))
        if placement.writing is Writing.ABSOLUTE:
            assert raw == sandbox.url(placement.request)
        elif placement.writing is Writing.SCHEME_RELATIVE:
            assert raw.startswith("//") and raw == sandbox.url(placement.request)[5:]
        elif placement.writing is Writing.ROOT_RELATIVE:
            assert raw == placement.request.path
        else:
            assert not raw.startswith(("/", "http"))
        seen[placement.construct].add(placement.writing)
    assert seen[Construct.IMG_SRC] >= {
        Writing.ROOT_RELATIVE,
        Writing.RELATIVE,
        Writing.ABSOLUTE,
        Writing.SCHEME_RELATIVE,
    }
    assert Writing.RELATIVE in seen[Construct.BASE_HREF]
    assert Writing.RELATIVE in seen[Construct.STYLESHEET]


def _page(world: World, construct: Construct, detail: str = "") -> Page:
    return next(
        p
        for p in world.pages
        if p.construct is construct and p.detail == detail and p.kind is PageKind.CONSTRUCT
    )


def test_base_href_is_needed_to_resolve(sandbox: Sandbox, world: World) -> None:
    page = _page(world, Construct.BASE_HREF)
    url = sandbox.url(page.location)
    reader = read_html(fetch(sandbox.resolver, url).text)
    for how, raw, _ in reader.state.found:
        assert how == "img[src]"
        naive = fetch(sandbox.resolver, urljoin(url, raw))  # ignoring <base>: a dead link
        assert naive.status == 404


def test_srcset_descriptors(sandbox: Sandbox, world: World) -> None:
    for detail, descriptors in (("density", {"1x", "2x"}), ("width", {"320w", "640w"})):
        page = _page(world, Construct.SRCSET, detail)
        refs = read_html(fetch(sandbox.resolver, sandbox.url(page.location)).text)
        assert {d for _, _, d in refs.state.found} == descriptors


def test_redirects_across_sites_and_to_pages(sandbox: Sandbox, world: World) -> None:
    page = _page(world, Construct.REDIRECT, "other-site")
    (placement,) = page.placements
    assert placement.request is not None and placement.final is not None
    assert placement.request.host != placement.final.host
    first = fetch(sandbox.resolver, sandbox.url(placement.request))
    assert first.status == 302
    assert first.header("location") == sandbox.url(placement.final)
    for detail, statuses in (("301", [301]), ("chain", [302, 308])):
        moved = _page(world, Construct.PAGE_REDIRECT, detail)
        home = next(
            p
            for p in world.pages
            if p.location.host == moved.location.host and p.kind is PageKind.INDEX
        )
        assert moved.location not in home.links  # reachable through the redirect only
        reached = {}
        for old in (link for link in home.links if link.path.startswith("/old/")):
            hops, answer = follow(sandbox.resolver, sandbox.url(old))
            reached[answer.url] = [h.status for h in hops]
        assert reached[sandbox.url(moved.location)] == statuses
    chain = _page(world, Construct.REDIRECT, "chain").placements[0]
    assert chain.hops == (301, 302, 307, 308)


def test_pagination_and_gallery_links(sandbox: Sandbox, world: World) -> None:
    first = next(p for p in world.pages if p.kind is PageKind.LISTING and p.previous is None)
    url, pages = sandbox.url(first.location), 0
    while url:
        reader = read_html(fetch(sandbox.resolver, url).text)
        pages += 1
        following = [href for rel, href in reader.links if rel == "next"]
        url = urljoin(url, following[0]) if following else ""
        assert pages < 100
    assert pages >= 3
    gallery = next(p for p in world.pages if p.kind is PageKind.GALLERY)
    gallery_url = sandbox.url(gallery.location)
    reader = read_html(fetch(sandbox.resolver, gallery_url).text)
    photos = [urljoin(gallery_url, href) for _, href in reader.links]
    assert photos == [sandbox.url(link) for link in gallery.links]
    for thumb, photo_url in zip(gallery.placements, photos, strict=True):
        photo = next(p for p in world.pages if sandbox.url(p.location) == photo_url)
        full = world.media[photo.placements[0].media]
        assert world.media[thumb.media].source == full.id
        assert fetch(sandbox.resolver, photo_url).status == 200


def test_every_site_reaches_every_other_by_links(sandbox: Sandbox, world: World) -> None:
    homes = {p.location.host: p for p in world.pages if p.location.path == "/"}
    host, visited = world.sites[0].host, []
    while host not in visited:
        visited.append(host)
        host = next(link.host for link in homes[host].links if link.host != host)
    assert sorted(visited) == sorted(site.host for site in world.sites)


def test_unknown_paths_methods_and_head(sandbox: Sandbox, world: World) -> None:
    site = world.sites[0]
    assert fetch(sandbox.resolver, f"http://{site.host}:{sandbox.port}/nothing-here").status == 404
    home = f"http://{site.host}:{sandbox.port}/"
    assert fetch(sandbox.resolver, home, method="POST", body=b"x").status == 405
    head = fetch(sandbox.resolver, home, method="HEAD")
    assert head.status == 200 and head.body == b""
    show = next(s for s in world.served if "?" in s.location.path)
    bare = fetch(sandbox.resolver, sandbox.url(show.location).partition("?")[0])
    assert bare.status == 404  # /show.php without its id


def test_iframe_shows_a_document_of_another_site(sandbox: Sandbox, world: World) -> None:
    page = _page(world, Construct.IFRAME, "other-site")
    assert page.frame is not None and page.frame.host != page.location.host
    reader = read_html(fetch(sandbox.resolver, sandbox.url(page.location)).text)
    assert reader.frames == [sandbox.url(page.frame)]
    assert not reader.state.found  # the image is in the frame, not the page
