"""Every placement extraction knows, each from a small benign HTML snippet."""

from __future__ import annotations

import pytest

from sentinelle.crawl.extract import Extraction, Placement, Skip, extract
from sentinelle.crawl.media_hints import LAZY_SRCSET_ATTRIBUTES, LAZY_URL_ATTRIBUTES

PAGE = "http://pictures.example/gallery/page.html"


def found(html: str, url: str = PAGE) -> Extraction:
    return extract(html.encode("utf-8"), url)


def media(html: str) -> list[tuple[str, Placement]]:
    return [(ref.url, ref.placement) for ref in found(html).media]


def at(path: str) -> str:
    return f"http://pictures.example{path}"


@pytest.mark.parametrize(("html", "url", "placement"), [
    ('<img src="a.jpg">', at("/gallery/a.jpg"), Placement.IMG_SRC),
    ('<img lowsrc="/low.gif">', at("/low.gif"), Placement.IMG_SRC),
    ('<image src="/old.png">', at("/old.png"), Placement.IMG_SRC),
    ('<img srcset="/s.jpg 2x">', at("/s.jpg"), Placement.SRCSET),
    ('<picture><source srcset="/p.avif" type="image/avif"></picture>', at("/p.avif"),
     Placement.PICTURE_SOURCE),
    ('<picture><source src="/p2.webp"></picture>', at("/p2.webp"), Placement.PICTURE_SOURCE),
    ('<noscript><img src="/n.jpg"></noscript>', at("/n.jpg"), Placement.NOSCRIPT),
    ('<div style="background-image: url(/i.png)"></div>', at("/i.png"), Placement.INLINE_STYLE),
    ('<style>.x { background: url("/e.png") }</style>', at("/e.png"), Placement.STYLE_ELEMENT),
    ('<a href="/full.JPG">full size</a>', at("/full.JPG"), Placement.A_HREF_MEDIA),
    ('<area href="/map.png">', at("/map.png"), Placement.A_HREF_MEDIA),
    ('<a href="/show?id=4" type="image/jpeg">x</a>', at("/show?id=4"), Placement.A_HREF_MEDIA),
    ('<meta property="og:image" content="/og.jpg">', at("/og.jpg"), Placement.OG_IMAGE),
    ('<meta property="og:image:url" content="/og2.jpg">', at("/og2.jpg"), Placement.OG_IMAGE),
    ('<meta property="og:image:secure_url" content="https://cdn.example/og3.jpg">',
     "https://cdn.example/og3.jpg", Placement.OG_IMAGE),
    ('<meta name="og:image" content="/og4.jpg">', at("/og4.jpg"), Placement.OG_IMAGE),
    ('<meta name="twitter:image" content="/t.jpg">', at("/t.jpg"), Placement.TWITTER_IMAGE),
    ('<meta name="twitter:image:src" content="/t2.jpg">', at("/t2.jpg"),
     Placement.TWITTER_IMAGE),
    ('<meta property="twitter:image" content="/t3.jpg">', at("/t3.jpg"),
     Placement.TWITTER_IMAGE),
    ('<meta itemprop="image" content="/m.jpg">', at("/m.jpg"), Placement.META_IMAGE),
    ('<meta name="thumbnail" content="/th.jpg">', at("/th.jpg"), Placement.META_IMAGE),
    ('<link rel="image_src" href="/is.jpg">', at("/is.jpg"), Placement.META_IMAGE),
    ('<video poster="/poster.jpg"></video>', at("/poster.jpg"), Placement.VIDEO_POSTER),
    ('<video src="/clip.mp4"></video>', at("/clip.mp4"), Placement.VIDEO_SRC),
    ('<video><source src="/clip.webm" type="video/webm"></video>', at("/clip.webm"),
     Placement.VIDEO_SRC),
    ('<link rel="preload" as="image" href="/pre.jpg">', at("/pre.jpg"), Placement.PRELOAD),
    ('<link rel="preload" as="image" imagesrcset="/pre1.jpg 1x, /pre2.jpg 2x">',
     at("/pre2.jpg"), Placement.PRELOAD),
    ('<link rel="prefetch" as="image" href="/pf.jpg">', at("/pf.jpg"), Placement.PRELOAD),
    ('<link rel="icon" href="/favicon.ico">', at("/favicon.ico"), Placement.ICON),
    ('<link rel="shortcut icon" href="/fav.png">', at("/fav.png"), Placement.ICON),
    ('<link rel="apple-touch-icon" href="/touch.png">', at("/touch.png"), Placement.ICON),
    ('<input type="image" src="/go.gif">', at("/go.gif"), Placement.INPUT_IMAGE),
    ('<input type="IMAGE" src="/go2.gif">', at("/go2.gif"), Placement.INPUT_IMAGE),
    ('<object data="/movie.swf"></object>', at("/movie.swf"), Placement.OBJECT_DATA),
    ('<embed src="/pic.svg">', at("/pic.svg"), Placement.EMBED_SRC),
    ('<svg><image href="/v.png"/></svg>', at("/v.png"), Placement.SVG_IMAGE),
    ('<svg><image xlink:href="/xl.png"/></svg>', at("/xl.png"), Placement.SVG_IMAGE),
    ('<svg><filter><feImage href="/fe.png"/></filter></svg>', at("/fe.png"),
     Placement.SVG_IMAGE),
    ('<body background="/wall.gif">', at("/wall.gif"), Placement.BACKGROUND_ATTR),
    ('<table background="/t.gif"><tr><td>x</td></tr></table>', at("/t.gif"),
     Placement.BACKGROUND_ATTR),
    ('<table><tr><td background="/td.gif">x</td></tr></table>', at("/td.gif"),
     Placement.BACKGROUND_ATTR),
    ('<table><tr background="/tr.gif"><th>x</th></tr></table>', at("/tr.gif"),
     Placement.BACKGROUND_ATTR),
    ('<iframe srcdoc="&lt;img src=/sd.jpg&gt;"></iframe>', at("/sd.jpg"), Placement.SRCDOC),
    ('<div data-bg="/lazy-bg.jpg"></div>', at("/lazy-bg.jpg"), Placement.LAZY_ATTR),
    ('<div data-background-image="url(\'/dbi.jpg\')"></div>', at("/dbi.jpg"),
     Placement.LAZY_ATTR),
    ('<div data-bgset="/b1.jpg 200w, /b2.jpg 400w | /b3.jpg [--portrait]"></div>',
     at("/b3.jpg"), Placement.LAZY_ATTR),
    ('<span data-popup-url="/elsewhere/zoom.webp?v=2"></span>', at("/elsewhere/zoom.webp?v=2"),
     Placement.DATA_ATTRIBUTE),
])
def test_each_placement(html: str, url: str, placement: Placement) -> None:
    assert (url, placement) in media(html)


@pytest.mark.parametrize("attribute", sorted(LAZY_URL_ATTRIBUTES))
def test_every_lazy_url_attribute(attribute: str) -> None:
    assert media(f'<img src="/placeholder.gif" {attribute}="/real.jpg">') == [
        (at("/placeholder.gif"), Placement.IMG_SRC), (at("/real.jpg"), Placement.LAZY_ATTR),
    ]


@pytest.mark.parametrize("attribute", sorted(LAZY_SRCSET_ATTRIBUTES))
def test_every_lazy_srcset_attribute(attribute: str) -> None:
    assert media(f'<img {attribute}="/small.jpg 320w, /large.jpg 960w">') == [
        (at("/small.jpg"), Placement.LAZY_ATTR), (at("/large.jpg"), Placement.LAZY_ATTR),
    ]


def test_lazy_attributes_of_the_sandbox_and_common_libraries_are_known() -> None:
    sandbox = {"data-src", "data-srcset", "data-original", "data-lazy-src", "data-lazy",
               "data-bg"}
    libraries = {"data-background", "data-hi-res-src", "data-full", "data-large_image",
                 "data-lazy-srcset", "data-bgset", "data-orig-file", "data-zoom-image"}
    assert sandbox | libraries <= LAZY_URL_ATTRIBUTES | LAZY_SRCSET_ATTRIBUTES


def test_a_data_attribute_that_is_not_a_media_path_is_ignored() -> None:
    html = ('<div data-id="42" data-page="/next.html" data-note="see a.jpg please"'
            ' data-json=\'{"u": "/a.jpg"}\'></div>')
    assert media(html) == []


def test_picture_keeps_source_and_fallback_img() -> None:
    html = ('<picture><source srcset="/w.webp 1x, /w2.webp 2x" type="image/webp">'
            '<img src="/fallback.jpg" alt=""></picture>')
    assert media(html) == [
        (at("/w.webp"), Placement.PICTURE_SOURCE), (at("/w2.webp"), Placement.PICTURE_SOURCE),
        (at("/fallback.jpg"), Placement.IMG_SRC),
    ]


def test_audio_sources_are_not_media() -> None:
    assert media('<audio src="/a.mp3"><source src="/b.ogg"></audio>') == []


def test_noscript_content_in_head_and_body_and_detail_names_the_element() -> None:
    result = found('<head><noscript><link rel="preload" as="image" href="/h.jpg"></noscript>'
                   '</head><body><noscript><img srcset="/b.jpg 2x"><div style="background:'
                   'url(/c.png)"></div></noscript><img src="/after.jpg"></body>')
    assert [(ref.url, ref.placement, ref.detail) for ref in result.media] == [
        (at("/h.jpg"), Placement.NOSCRIPT, "noscript > link[rel=preload][href]"),
        (at("/b.jpg"), Placement.NOSCRIPT, "noscript > img[srcset]"),
        (at("/c.png"), Placement.NOSCRIPT, "noscript > div[style]"),
        (at("/after.jpg"), Placement.IMG_SRC, "img[src]"),
    ]


def test_first_placement_wins() -> None:
    html = ('<img src="/x.jpg"><noscript><img src="/x.jpg"></noscript>'
            '<a href="/x.jpg">big</a>')
    result = found(html)
    assert [(ref.url, ref.placement) for ref in result.media] == [(at("/x.jpg"),
                                                                   Placement.IMG_SRC)]
    assert result.skipped[Skip.DUPLICATE] == 2


def test_lazy_placeholder_and_real_image_are_both_found() -> None:
    html = ('<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIB'
            'RAA7" data-src="/real.jpg" class="lazyload">')
    result = found(html)
    assert [(ref.url, ref.placement) for ref in result.media] == [(at("/real.jpg"),
                                                                   Placement.LAZY_ATTR)]
    assert [(d.media_type, d.placement) for d in result.data_media] == [
        ("image/gif", Placement.IMG_SRC)]


def test_links_frames_and_stylesheets() -> None:
    html = """
    <link rel="stylesheet" href="/site.css"><link rel="alternate stylesheet" href="alt.css">
    <link rel="next" href="?page=2"><link rel="prev" href="/gallery/">
    <a href="photo-1.html">one</a><a href="/elsewhere" rel="nofollow noopener">two</a>
    <area href="/map-target.html"><a href="photo-1.html#comments">again</a>
    <iframe src="/frames/inner.html"></iframe><frameset><frame src="side.html"></frameset>
    <style>@import "print.css"; @import url(/theme.css) screen;</style>
    """
    result = found(html)
    assert result.stylesheets == [at("/site.css"), at("/gallery/alt.css"),
                                  at("/gallery/print.css"), at("/theme.css")]
    assert [(link.url, link.nofollow) for link in result.links] == [
        (at("/gallery/page.html?page=2"), False), (at("/gallery/"), False),
        (at("/gallery/photo-1.html"), False), (at("/elsewhere"), True),
        (at("/map-target.html"), False),
    ]
    assert result.links[3].rel == frozenset({"nofollow", "noopener"})
    assert result.links[0].detail == "link[href]"
    assert result.frames == [at("/frames/inner.html"), at("/gallery/side.html")]
    assert result.media == []


def test_frames_include_iframe_src_but_srcdoc_is_parsed_in_place() -> None:
    html = ('<iframe src="/f.html" srcdoc="&lt;a href=/in-srcdoc.html&gt;x&lt;/a&gt;'
            '&lt;img src=/in.jpg&gt;"></iframe>')
    result = found(html)
    assert result.frames == [at("/f.html")]
    assert [(ref.url, ref.placement, ref.detail) for ref in result.media] == [
        (at("/in.jpg"), Placement.SRCDOC, "srcdoc > img[src]")]
    assert [link.url for link in result.links] == [at("/in-srcdoc.html")]


def test_meta_refresh_is_a_link_and_robots_is_read() -> None:
    html = ('<meta http-equiv="Refresh" content="3; URL=\'/moved.html\'">'
            '<meta name="robots" content="noindex,nofollow">')
    result = found(html)
    assert [(link.url, link.detail) for link in result.links] == [
        (at("/moved.html"), "meta[refresh]")]
    assert result.robots == frozenset({"noindex", "nofollow"})


def test_template_content_counts_since_scripts_show_it() -> None:
    assert media('<template><img src="/t.jpg"></template>') == [(at("/t.jpg"),
                                                                  Placement.IMG_SRC)]


def test_text_that_only_looks_like_markup_is_not_a_reference() -> None:
    html = ('<!-- <img src="/comment.jpg"> --><script>var s = "<img src=/script.jpg>";</script>'
            '<textarea><img src="/textarea.jpg"></textarea><title><img src=/title.jpg></title>'
            '<p>see /plain.jpg and url(/text.png)</p>'
            '<style>/* url(/css-comment.png) */ .a { content: "url(/css-string.png)" }</style>')
    result = found(html)
    assert result.media == []
    assert result.links == []


def test_empty_and_blank_documents() -> None:
    for html in ("", "   ", "<!-- only a comment -->", "<!DOCTYPE html>"):
        result = found(html)
        assert result.media == [] and result.links == [] and not result.skipped
