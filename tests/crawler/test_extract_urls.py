"""URL rules: resolution, base href, whitespace, fragments, schemes, normalisation, caps."""

from __future__ import annotations

import pytest

from sentinelle.crawl.extract import ExtractLimits, Placement, Skip, extract
from sentinelle.crawl.normalize import MAX_URL_LENGTH, normalize_url
from sentinelle.crawl.resolve import Unresolvable, clean, resolve

PAGE = "http://Host.Example:80/dir/sub/page.html?q=1#frag"


def urls(html: str, page: str = PAGE, **options: object) -> list[str]:
    return [ref.url for ref in extract(html, page, **options).media]  # type: ignore[arg-type]


@pytest.mark.parametrize(("written", "expected"), [
    ("a.jpg", "http://host.example/dir/sub/a.jpg"),
    ("../a.jpg", "http://host.example/dir/a.jpg"),
    ("/a.jpg", "http://host.example/a.jpg"),
    ("//cdn.example/a.jpg", "http://cdn.example/a.jpg"),
    ("//cdn.example:8080/a.jpg", "http://cdn.example:8080/a.jpg"),
    ("https://CDN.example:443/a.jpg", "https://cdn.example/a.jpg"),
    ("?v=2", "http://host.example/dir/sub/page.html?v=2"),
    ("  \n\t/a.jpg \x0c ", "http://host.example/a.jpg"),
    ("/a\n.j\tpg", "http://host.example/a.jpg"),
    ("/a.jpg#section", "http://host.example/a.jpg"),
    ("/my photo.jpg", "http://host.example/my%20photo.jpg"),
    ("/a.jpg?size=big small", "http://host.example/a.jpg?size=big%20small"),
    ("\\images\\a.jpg", "http://host.example/images/a.jpg"),
    ("/q.jpg?path=a\\b", "http://host.example/q.jpg?path=a\\b"),
    ("/caf\u00e9.jpg", "http://host.example/caf%C3%A9.jpg"),
    ("http://b\u00fccher.example/x.jpg", "http://xn--bcher-kva.example/x.jpg"),
    ("/%7e/a%2fb.jpg", "http://host.example/%7E/a%2Fb.jpg"),
    ("http:other.jpg", "http://host.example/dir/sub/other.jpg"),
])
def test_resolution(written: str, expected: str) -> None:
    assert urls(f'<img src="{written}">') == [expected]
    assert resolve(clean(written), PAGE) == expected


def test_every_result_is_normalised() -> None:
    html = "".join(f'<img src="{w}">' for w in ("/A.jpg", "HTTP://HOST.EXAMPLE/b.jpg",
                                                 "/c%c3%a9.jpg", "//host.example:80/d.jpg"))
    for url in urls(html):
        assert normalize_url(url).url == url


@pytest.mark.parametrize(("written", "reason"), [
    ("", Skip.EMPTY),
    ("   ", Skip.EMPTY),
    ("#top", Skip.FRAGMENT_ONLY),
    ("javascript:void(0)", "scheme:javascript"),
    ("JavaScript:alert(1)", "scheme:javascript"),
    ("mailto:abuse@host.example", "scheme:mailto"),
    ("ftp://files.example/a.jpg", "scheme:ftp"),
    ("blob:http://host.example/uuid", "scheme:blob"),
    ("about:blank", "scheme:about"),
    ("file:///etc/passwd", "scheme:file"),
    ("gopher://old.example/", "scheme:other"),
    ("c:\\photos\\a.jpg", "scheme:other"),
    ("http://[::1/a.jpg", Skip.INVALID_URL),
    ("http://host.example:99999/a.jpg", Skip.INVALID_URL),
    ("http://:80/a.jpg", Skip.INVALID_URL),
    ("/" + "a" * MAX_URL_LENGTH, Skip.URL_TOO_LONG),
])
def test_skipped_with_a_reason(written: str, reason: str) -> None:
    found = extract(f'<img src="{written}"><a href="{written}">x</a>', PAGE)
    assert found.media == [] and found.links == []
    assert found.skipped == {reason: 2}
    with pytest.raises(Unresolvable) as caught:
        resolve(clean(written), PAGE)
    assert caught.value.reason == reason


def test_dedup_keeps_the_first_placement_and_order() -> None:
    html = ('<img src="/b.jpg"><img src="/a.jpg"><img data-src="/b.jpg">'
            '<img src="HTTP://host.example:80/a.jpg#x"><a href="/b.jpg">b</a>')
    found = extract(html, PAGE)
    assert [(ref.url, ref.placement) for ref in found.media] == [
        ("http://host.example/b.jpg", Placement.IMG_SRC),
        ("http://host.example/a.jpg", Placement.IMG_SRC),
    ]
    assert found.skipped == {Skip.DUPLICATE: 3}


class TestBaseHref:
    def test_relative_base_resolves_against_the_page(self) -> None:
        assert urls('<base href="../assets/"><img src="a.jpg">') == [
            "http://host.example/dir/assets/a.jpg"]

    def test_first_base_with_href_wins_even_after_references(self) -> None:
        html = ('<img src="before.jpg"><base target="_blank"><base href="/one/">'
                '<base href="/two/"><img src="after.jpg">')
        assert urls(html) == ["http://host.example/one/before.jpg",
                              "http://host.example/one/after.jpg"]

    def test_absolute_base_on_another_host(self) -> None:
        found = extract('<base href="https://cdn.example/m/"><img src="a.jpg">'
                        '<a href="next.html">n</a>', PAGE)
        assert found.base_url == "https://cdn.example/m/"
        assert [ref.url for ref in found.media] == ["https://cdn.example/m/a.jpg"]
        assert [link.url for link in found.links] == ["https://cdn.example/m/next.html"]

    def test_base_applies_to_links_styles_and_meta(self) -> None:
        found = extract('<base href="/b/"><meta property="og:image" content="og.jpg">'
                        '<div style="background:url(s.png)"></div><a href="p.html">p</a>', PAGE)
        assert [ref.url for ref in found.media] == ["http://host.example/b/og.jpg",
                                                    "http://host.example/b/s.png"]
        assert [link.url for link in found.links] == ["http://host.example/b/p.html"]

    @pytest.mark.parametrize("base", ["javascript:alert(1)", "data:text/html,x", "mailto:x@y"])
    def test_a_base_that_is_not_http_is_ignored(self, base: str) -> None:
        found = extract(f'<base href="{base}"><img src="a.jpg">', PAGE)
        assert [ref.url for ref in found.media] == ["http://host.example/dir/sub/a.jpg"]
        assert found.skipped[Skip.BASE_INVALID] == 1

    def test_srcdoc_inherits_the_base_and_may_have_its_own(self) -> None:
        html = ('<base href="/outer/"><iframe srcdoc="&lt;img src=a.jpg&gt;"></iframe>'
                '<iframe srcdoc="&lt;base href=/inner/&gt;&lt;img src=b.jpg&gt;"></iframe>')
        assert urls(html) == ["http://host.example/outer/a.jpg", "http://host.example/inner/b.jpg"]


def test_query_is_encoded_in_the_page_encoding() -> None:
    html = '<meta charset="windows-1251"><img src="/фото.jpg?имя=я">'.encode("cp1251")
    found = extract(html, "http://ru.example/")
    assert found.encoding == "cp1251"
    assert [ref.url for ref in found.media] == [
        "http://ru.example/%D1%84%D0%BE%D1%82%D0%BE.jpg?%E8%EC%FF=%FF"]


def test_media_cap_counts_the_rest() -> None:
    html = "".join(f'<img src="/{n}.jpg">' for n in range(30))
    found = extract(html, PAGE, limits=ExtractLimits(max_media=10))
    assert len(found.media) == 10
    assert found.skipped == {Skip.CAP_MEDIA: 20}


def test_link_frame_and_stylesheet_caps() -> None:
    html = "".join(f'<a href="/p{n}.html">p</a><iframe src="/f{n}.html"></iframe>'
                   f'<link rel="stylesheet" href="/s{n}.css">' for n in range(8))
    found = extract(html, PAGE, limits=ExtractLimits(max_links=5, max_frames=2,
                                                     max_stylesheets=3))
    assert (len(found.links), len(found.frames), len(found.stylesheets)) == (5, 2, 3)
    assert found.skipped == {Skip.CAP_LINKS: 3, Skip.CAP_FRAMES: 6, Skip.CAP_STYLESHEETS: 5}


def test_media_links_still_count_as_media_when_links_are_full() -> None:
    html = ('<a href="/p1.html">1</a><a href="/p2.html">2</a><a href="/big.jpg">3</a>'
            '<a href="/p3.html">4</a>')
    found = extract(html, PAGE, limits=ExtractLimits(max_links=1))
    assert [ref.url for ref in found.media] == ["http://host.example/big.jpg"]
    assert found.skipped == {Skip.CAP_LINKS: 2}


def test_nested_srcdoc_is_bounded() -> None:
    inner = '<img src="/deep.jpg">'
    for _ in range(6):
        inner = f'<iframe srcdoc="{inner.replace("&", "&amp;").replace(chr(34), "&quot;")}">' \
                "</iframe>"
    found = extract(inner, PAGE, limits=ExtractLimits(max_nested_depth=3))
    assert found.media == []
    assert found.skipped[Skip.CAP_NESTED] == 1
    many = '<iframe srcdoc="&lt;img src=/x.jpg&gt;"></iframe>' * 30
    assert extract(many, PAGE).skipped[Skip.CAP_NESTED] == 10


def test_links_are_normalised_without_fragment_and_unique() -> None:
    found = extract('<a href="/p.html#a">1</a><a href="/p.html#b">2</a>'
                    '<a href="HTTP://host.example/p.html">3</a>', PAGE)
    assert [link.url for link in found.links] == ["http://host.example/p.html"]
    assert found.skipped == {Skip.DUPLICATE: 2}
