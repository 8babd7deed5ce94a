"""Hostile pages: extraction stays linear, finishes in seconds and never raises.

Each page is megabytes of one trick, followed by an image a browser would load; the test
checks that the image is still found where a browser finds it, and that extraction did not
blow up. The bound is on this process's CPU time, not the wall clock, and is generous: it
catches quadratic behaviour (minutes), not slowness; speed is measured in bench/.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from sentinelle.crawl.extract import Extraction, ExtractLimits, Skip, extract
from sentinelle.crawl.markup_guard import limit_attributes
from sentinelle.crawl.normalize import normalize_url

PAGE = "http://hostile.example/"
END = "http://hostile.example/end.jpg"
MB = 1_000_000
#: CPU seconds for one 5 MB page (the slowest case takes about 2.5 s here; a quadratic
#: case takes minutes).
BUDGET = 15.0


def timed(html: str | bytes, **options: object) -> tuple[Extraction, float]:
    started = time.process_time()
    found = extract(html if isinstance(html, bytes) else html.encode("utf-8", "surrogatepass"),
                    PAGE, **options)  # type: ignore[arg-type]
    return found, time.process_time() - started


def attributes(count: int) -> str:
    return " ".join(f"a{n}=1" for n in range(count))


TAIL = '<img src="/end.jpg">'
#: name -> (page, whether a browser loads /end.jpg)
CASES: dict[str, tuple[Callable[[], str], bool]] = {
    "nested divs": (lambda: "<div>" * (MB) + TAIL, True),
    "nested inline tags": (lambda: "<i><b>" * (5 * MB // 6) + TAIL, True),
    "nested noscript": (lambda: "<noscript>" * (MB // 2) + TAIL, True),
    "nested svg": (lambda: "<svg>" * MB + TAIL, True),
    "nested tables": (lambda: "<table><tr><td>" * (MB // 3) + TAIL, True),
    "unclosed paragraphs and list items": (lambda: "<p>x<li>y" * (MB // 2) + TAIL, True),
    "one tag, 500,000 attributes": (lambda: f"<img {attributes(500_000)}>" + TAIL, True),
    "attributes hidden after a script escape": (
        lambda: '<script><!--<script></script><x a="--></script><img '
                + attributes(400_000) + '>">' + TAIL, True),
    "unclosed quote": (lambda: '<img src="' + "a" * (5 * MB) + TAIL, False),
    "unclosed comment": (lambda: "<!--" + "x" * (5 * MB) + TAIL, False),
    "unclosed script": (lambda: "<script>" + "<!--<script>" * (MB // 3) + TAIL, False),
    "NUL bytes": (lambda: "\x00" * (5 * MB) + TAIL, True),
    "character references": (lambda: "&amp;&#65;&#x42;&nbsp;" * (MB // 4) + TAIL, True),
    "entity declarations (billion laughs)": (
        lambda: "<!DOCTYPE x [" + '<!ENTITY a "&b;&b;&b;&b;&b;&b;&b;&b;">' * 50_000
                + ']><p>&a;&a;&a;</p>' + TAIL, True),
    "less-than signs": (lambda: "<" * (5 * MB) + TAIL, True),
    "parentheses in a style element": (lambda: "<style>" + "(" * (5 * MB) + "</style>" + TAIL,
                                       True),
    "url( storm in a style element": (lambda: "<style>" + "url(" * MB + "</style>" + TAIL, True),
    "strings in a style element": (lambda: "<style>" + '"a" ' * MB + "</style>" + TAIL, True),
    "inline styles": (lambda: '<div style="background:url(/x.png)"></div>' * (MB // 10)
                      + TAIL, True),
    "a huge srcset": (lambda: '<img srcset="' + "/a.jpg 1x, " * (MB // 2) + '">' + TAIL, True),
    "parentheses in a srcset": (lambda: '<img srcset="/a.jpg (' + "(" * (5 * MB) + '">'
                                + TAIL, True),
    "distinct images over the cap": (
        lambda: "".join(f'<img src="/m/{n}.jpg">' for n in range(250_000)) + TAIL, False),
    "distinct links over the cap": (
        lambda: "".join(f'<a href="/p/{n}.html">x</a>' for n in range(250_000)) + TAIL, True),
    "a 5 MB data: URI": (lambda: '<img src="data:image/png;base64,' + "A" * (5 * MB) + '">'
                         + TAIL, True),
    "deep srcdoc": (lambda: '<iframe srcdoc="' + "&lt;iframe srcdoc=&quot;" * 100_000
                    + '"></iframe>' + TAIL, True),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_page(name: str) -> None:
    build, loads_end = CASES[name]
    html = build()
    found, elapsed = timed(html)
    assert elapsed < BUDGET, f"{name}: {len(html) / MB:.1f} MB took {elapsed:.1f} s"
    assert (END in found.media_urls) is loads_end
    assert len(found.media) <= ExtractLimits().max_media


def test_a_sane_5mb_page_is_fast() -> None:
    html = "".join(f'<div class="item"><a href="/p/{n % 4000}.html"><img src="/m/{n % 4000}.jpg"'
                   f' alt="picture {n}"></a><p>Some benign text about picture {n}.</p></div>\n'
                   for n in range(45_000))
    assert len(html) > 5 * MB
    found, elapsed = timed(html)
    assert elapsed < BUDGET
    assert len(found.media) == 4000 and len(found.links) == 4000


def test_deep_nesting_restarts_and_finds_images_at_every_depth() -> None:
    html = "".join(f'{"<div>" * 1500}<img src="/d{n}.jpg">' for n in range(10))
    found, _ = timed(html)
    assert found.segments > 1
    assert [f"http://hostile.example/d{n}.jpg" for n in range(10)] == found.media_urls


def test_restarts_are_capped() -> None:
    found, _ = timed("<b>" * 100_000 + TAIL, limits=ExtractLimits(max_segments=3))
    assert found.segments == 3
    assert found.skipped[Skip.MARKUP_TRUNCATED] == 1
    assert END not in found.media_urls


def test_attributes_past_the_limit_are_dropped_and_counted() -> None:
    found, _ = timed(f'<img {attributes(700)} src="/late.jpg">'
                     f'<img src="/next.jpg" {attributes(3)}>')
    assert found.media_urls == ["http://hostile.example/next.jpg"]
    assert found.skipped[Skip.ATTRIBUTES_DROPPED] == 701 - ExtractLimits().max_attributes


# -- the attribute guard follows the tokenizer exactly ------------------------------------

def _parse(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    parser = etree.HTMLParser(recover=True, encoding="utf-8", remove_comments=True,
                              remove_pis=True, no_network=True)
    root = etree.fromstring(html.encode("utf-8", "replace"), parser)
    if root is None:
        return []
    return [(str(el.tag), list(el.items())) for el in root.iter() if isinstance(el.tag, str)]


def assert_guard_is_faithful(html: str, limit: int) -> None:
    """The guarded page parses to the same elements, each with a prefix of its attributes."""
    guarded, dropped = limit_attributes(html, limit)
    if dropped == 0:
        assert guarded == html
    before, after = _parse(html), _parse(guarded)
    assert [tag for tag, _ in after] == [tag for tag, _ in before]
    for (tag, full), (_, kept) in zip(before, after, strict=True):
        assert kept == full[:len(kept)], tag
        assert len(kept) <= limit or kept == full


TRICKY = [
    '<img a b c d e f g>',
    '<img a=1 b="2" c=\'3\' d=4 e f/g/h=i>',
    '<img a="x"b="y"c=\'z\'d=e f g>',
    '<img =a =b =c =d =e =f>',
    '<img a<b c<d e f g h>',
    '<!-- <img a b c d e f g> --><img a b c d e f g>',
    '<!--><img a b c d e f g><!---><img h i j k l m n>',
    '<!-- --!><img a b c d e f g>',
    '<!x <img a b c d e f g>><img a b c d e f g>',
    '<?pi <img a b c d e f g> ?><img a b c d e f g>',
    '</x a="><img c1 c2 c3 c4 c5 c6>"><img a b c d e f g>',
    '</ x><img a b c d e f g>',
    '<script>"<img a b c d e f g>"</script><img h i j k l m n>',
    '<script><!--<script></script><x a="--></script><img a b c d e f g>">',
    '<script><!--</script><img a b c d e f g>',
    '<script><!--><img x y z w v u t></script><img a b c d e f g>',
    '<SCRIPT type=x>a</ScRiPt\t><img a b c d e f g>',
    '<style>"</style>"<img a b c d e f g>',
    '<textarea><img a b c d e f g></textarea><img h i j k l m n>',
    '<title a b c d e f g><img a b c d e f g></title>',
    '<iframe><img a b c d e f g></iframe><img h i j k l m n>',
    '<noembed><img a b c d e f g></noembed><noframes><img a b c d e f g></noframes>',
    '<xmp><img a b c d e f g></xmp><plaintext><img a b c d e f g>',
    '<noscript><img a b c d e f g></noscript>',
    '<svg><![CDATA[<img a b c d e f g>]]><image a b c d e f g/></svg>',
    '<img a="unclosed b c d e f g>',
    '<img a b c d e f g',
    '<scriptx a b c d e f g>x</scriptx>',
]


@pytest.mark.parametrize("html", TRICKY)
def test_guard_is_faithful_on_tricky_markup(html: str) -> None:
    assert_guard_is_faithful(html, 3)


FRAGMENTS = ["<img", "<script>", "</script>", "<!--", "-->", "<style>", "</style>",
             "<textarea>", "</textarea", "</x", "<!x", "<?", " a", " b=1", ' c="', "'", '"',
             "=", "/", ">", " ", "\n", "<", "x", "<!--<script>", "<p", "<svg>", "--!>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60))
def test_guard_is_faithful_on_random_markup(pieces: list[str]) -> None:
    assert_guard_is_faithful("".join(pieces), 2)


# -- never raises, whatever it is given ----------------------------------------------------

PIECES = ["<img src=", "<a href=", "<base href=", "<style>", "url(", "<noscript>",
          "<iframe srcdoc=", "data:image/png;base64,", "javascript:", "http://", "//", "\\",
          "#", "?", "%", "%zz",
          "'", '"', ">", "<", " ", "\x00", "\u00e9", "\ud800", "&amp;", "&#0;", "srcset=",
          "1x,", ",", "(", ")", "/a.jpg", "[::1]", ":99999", "<meta charset=", "utf-16",
          "<source srcset=", "<picture>", "data-src=", "style=", "@import", "image-set("]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.binary(max_size=64))
def test_never_raises_and_gives_only_normalised_http_urls(pieces: list[str], noise: bytes) -> None:
    html = "".join(pieces)
    for document in (html, html.encode("utf-8", "surrogatepass") + noise):
        found = extract(document, PAGE)
        for url in [*found.media_urls, *(link.url for link in found.links), *found.frames,
                    *found.stylesheets]:
            assert url.startswith(("http://", "https://"))
            assert normalize_url(url).url == url
