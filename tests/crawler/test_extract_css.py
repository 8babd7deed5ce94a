"""url() in CSS: quoted and unquoted, escapes, comments, strings, image-set, @import, fonts."""

from __future__ import annotations

import pytest

from sentinelle.crawl.css_urls import CssRef, CssRole, css_references, unescape
from sentinelle.crawl.extract import Placement, Skip, extract, extract_css, extract_stylesheet

SHEET = "http://style.example/css/site.css"


def values(css: str) -> list[str]:
    return [ref.value for ref in css_references(css) if ref.role is CssRole.MEDIA]


@pytest.mark.parametrize(("css", "expected"), [
    ("a { background: url(x.png) }", ["x.png"]),
    ("a { background: url( x.png ) }", ["x.png"]),
    ("a { background: url('x.png') }", ["x.png"]),
    ('a { background: url( "x y.png" ) }', ["x y.png"]),
    ("a { background: URL(x.png) }", ["x.png"]),
    ("a{background:url(x.png)no-repeat,url(y.png)}", ["x.png", "y.png"]),
    (r"a { background: url(a\ b\(1\).png) }", ["a b(1).png"]),
    (r"a { background: url(\61.png) }", ["a.png"]),
    (r"a { background: url('it\'s.png') }", ["it's.png"]),
    (r'a { background: url("\"q\".png") }', ['"q".png']),
    ("a { background: u\\72l(esc.png) }", ["esc.png"]),
    ("a { background: url(\"multi\\\nline.png\") }", ["multiline.png"]),
    ("a { background: url() }", [""]),
    ("/* url(commented.png) */ a { b: url(real.png) }", ["real.png"]),
    ('a { content: "url(string.png)"; b: url(real.png) }', ["real.png"]),
    ("a { content: 'url(\\'s.png\\')' } b { c: url(r.png) }", ["r.png"]),
    ("a { background-image: image-set('a.png' 1x, \"b.png\" 2x) }", ["a.png", "b.png"]),
    ("a { b: -webkit-image-set(url(a.png) 1x, url(b.png) 2x) }", ["a.png", "b.png"]),
    ("a { b: image-set('a.png' type('image/png'), 'b.avif' type('image/avif')) }",
     ["a.png", "b.avif"]),
    ("a { mask: src('m.svg') }", ["m.svg"]),
    ("a { b: myurl(no.png); c: url(yes.png) }", ["yes.png"]),
    ("a { b: 'just a string' }", []),
    ("a { b: url(unclosed.png", ["unclosed.png"]),
    ("a { b: url('unclosed.png", ["unclosed.png"]),
    ("a { filter: url(#shadow) }", ["#shadow"]),
    ("a { b: url(data:image/png;base64,iVBORw0KGgo=) }", ["data:image/png;base64,iVBORw0KGgo="]),
])
def test_media_urls(css: str, expected: list[str]) -> None:
    assert values(css) == expected


def test_a_string_broken_by_a_newline_is_no_url() -> None:
    # CSS: the bad string ends at the newline, and the quote after it opens a string that
    # runs to the end, as in a browser; only the first argument of url() is a URL
    assert values("a { b: url('broken\n.png') } c { d: url(ok.png) }") == []
    assert values('a { b: url("one" "two") }') == ["one"]


def test_bad_unquoted_urls_are_reported() -> None:
    refs = list(css_references("a { b: url(two words.png); c: url(qu'ote.png); d: url(ok.png) }"))
    assert refs == [CssRef("", CssRole.BAD), CssRef("", CssRole.BAD),
                    CssRef("ok.png", CssRole.MEDIA)]


def test_imports_and_fonts() -> None:
    css = """
    @import "first.css";
    @import url(second.css) screen;
    @IMPORT url('third.css');
    @font-face { font-family: X; src: url(font.woff2) format('woff2'), url(font-noext); }
    .a { background: url(after-font.png) }
    """
    assert list(css_references(css)) == [
        CssRef("first.css", CssRole.IMPORT), CssRef("second.css", CssRole.IMPORT),
        CssRef("third.css", CssRole.IMPORT), CssRef("font.woff2", CssRole.FONT),
        CssRef("font-noext", CssRole.FONT), CssRef("after-font.png", CssRole.MEDIA),
    ]


def test_unescape() -> None:
    assert unescape(r"\41 B\000043\110000\0\\") == "ABC\ufffd\ufffd\\"
    assert unescape("plain") == "plain"


def test_extract_css_resolves_against_the_stylesheet() -> None:
    css = b".hero { background: url(../img/hero.jpg) } .band { background: url(/band.png) }"
    assert [(ref.url, ref.placement) for ref in extract_css(css, SHEET)] == [
        ("http://style.example/img/hero.jpg", Placement.STYLESHEET),
        ("http://style.example/band.png", Placement.STYLESHEET),
    ]


def test_extract_stylesheet_gives_imports_data_fonts_and_skips() -> None:
    css = (b'@import "more.css"; @font-face { src: url(f.woff) } .x { cursor: url(c.cur) }'
           b' .y { background: url(data:image/gif;base64,R0lGODlhAQABAAAAACw=) }'
           b" .z { b: url(x y.png); c: url(g.woff2); d: url('javascript:alert(1)') }"
           b" .w { background: url(c.cur) }")
    found = extract_stylesheet(css, SHEET)
    assert found.stylesheets == ["http://style.example/css/more.css"]
    assert [ref.url for ref in found.media] == ["http://style.example/css/c.cur"]
    assert [(data.media_type, data.data[:6]) for data in found.data_media] == [
        ("image/gif", b"GIF89a")]
    assert found.skipped == {Skip.FONT: 2, Skip.CSS_BAD_URL: 1, "scheme:javascript": 1,
                             Skip.DUPLICATE: 1}


def test_stylesheet_encoding() -> None:
    css = '@charset "iso-8859-1"; .a { background: url(/caf\xe9.png) }'.encode("latin-1")
    found = extract_stylesheet(css, SHEET)
    assert found.encoding == "cp1252"
    assert [ref.url for ref in found.media] == ["http://style.example/caf%C3%A9.png"]
    bom = b"\xef\xbb\xbf.a { background: url(/\xc3\xa9t\xc3\xa9.png) }"
    assert [ref.url for ref in extract_css(bom, SHEET)] == [
        "http://style.example/%C3%A9t%C3%A9.png"]
    header = extract_stylesheet("a{b:url(/\u00e9.png)}".encode("utf-16"), SHEET,
                                content_type="text/css; charset=utf-16")
    assert [ref.url for ref in header.media] == ["http://style.example/%C3%A9.png"]


def test_style_attribute_and_element_in_a_page() -> None:
    html = ('<div style="background: #000 url(&quot;/q.png&quot;) no-repeat;'
            ' border-image: url(/border.png) 30"></div>'
            '<style>@font-face { src: url(/f.woff2) } .x { background: url(x.png) }</style>'
            '<p style="color: red">no url</p>')
    found = extract(html, "http://site.example/dir/page.html")
    assert [(ref.url, ref.placement, ref.detail) for ref in found.media] == [
        ("http://site.example/q.png", Placement.INLINE_STYLE, "div[style]"),
        ("http://site.example/border.png", Placement.INLINE_STYLE, "div[style]"),
        ("http://site.example/dir/x.png", Placement.STYLE_ELEMENT, "style"),
    ]
    assert found.skipped[Skip.FONT] == 1


def test_url_in_style_honours_base_href() -> None:
    found = extract('<base href="/assets/"><div style="background:url(bg.png)"></div>',
                    "http://site.example/dir/page.html")
    assert [ref.url for ref in found.media] == ["http://site.example/assets/bg.png"]
