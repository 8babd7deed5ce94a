"""What each HTML element refers to: one handler per tag, called by :class:`.HtmlWalker`.

The attributes every element may carry (``style``, ``background``, lazy-loading ``data-*``)
are the walker's; here are the tags with references of their own. docs/crawl.md
has the table of placements.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from sentinelle.crawl.html_tree import Node
from sentinelle.crawl.references import Placement

if TYPE_CHECKING:
    from sentinelle.crawl.html_walk import HtmlWalker

_OG: Final = frozenset({"og:image", "og:image:url", "og:image:secure_url"})
_TWITTER: Final = frozenset({"twitter:image", "twitter:image:src"})
_META_IMAGE: Final = frozenset({"image", "thumbnail", "msapplication-tileimage"})
_ICON_RELS: Final = frozenset({
    "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon", "fluid-icon",
})
_PRELOAD_RELS: Final = frozenset({"preload", "prefetch"})
_PAGE_RELS: Final = frozenset({"next", "prev", "previous"})
_REFRESH: Final = re.compile(
    r"""\s*[0-9.]*\s*[;,]?\s*(?:url\s*=\s*)?(?P<q>['"]?)(?P<url>.*?)(?P=q)?\s*$""",
    re.IGNORECASE | re.DOTALL,
)


def rel_tokens(value: str | None) -> frozenset[str]:
    return frozenset(value.lower().split()) if value else frozenset()


def _img(walker: HtmlWalker, element: Node) -> None:
    walker.media(element.get("src"), Placement.IMG_SRC, "img[src]")
    walker.srcset(element.get("srcset"), Placement.SRCSET, "img[srcset]")
    walker.media(element.get("lowsrc"), Placement.IMG_SRC, "img[lowsrc]")


def _image(walker: HtmlWalker, element: Node) -> None:
    """SVG <image>, and HTML's <image src>, which browsers read as <img>."""
    walker.media(element.get("src"), Placement.IMG_SRC, "image[src]")
    _svg_href(walker, element)


def _svg_href(walker: HtmlWalker, element: Node) -> None:
    tag = element.tag
    walker.media(element.get("href"), Placement.SVG_IMAGE, f"{tag}[href]")
    walker.media(element.get("xlink:href"), Placement.SVG_IMAGE, f"{tag}[xlink:href]")


def _source(walker: HtmlWalker, element: Node) -> None:
    parent = element.getparent()
    holder = parent.tag if parent is not None else ""
    if holder in ("video", "audio"):
        if holder == "video":
            walker.media(element.get("src"), Placement.VIDEO_SRC, "video > source[src]")
        return
    walker.srcset(element.get("srcset"), Placement.PICTURE_SOURCE, "picture > source[srcset]")
    walker.media(element.get("src"), Placement.PICTURE_SOURCE, "picture > source[src]")


def _video(walker: HtmlWalker, element: Node) -> None:
    walker.media(element.get("poster"), Placement.VIDEO_POSTER, "video[poster]")
    walker.media(element.get("src"), Placement.VIDEO_SRC, "video[src]")


def _link(walker: HtmlWalker, element: Node) -> None:
    rel = rel_tokens(element.get("rel"))
    href = element.get("href")
    if "stylesheet" in rel and href is not None:
        walker.collector.stylesheet(href, walker.base)
    if rel & _PRELOAD_RELS and (element.get("as") or "").strip().lower() == "image":
        walker.media(href, Placement.PRELOAD, "link[rel=preload][href]")
        walker.srcset(element.get("imagesrcset"), Placement.PRELOAD,
                      "link[rel=preload][imagesrcset]")
    if rel & _ICON_RELS:
        walker.media(href, Placement.ICON, "link[rel=icon]")
    if "image_src" in rel:
        walker.media(href, Placement.META_IMAGE, "link[rel=image_src]")
    if rel & _PAGE_RELS and href is not None:
        walker.collector.link(href, walker.base, rel=rel, detail="link[href]")


def _meta(walker: HtmlWalker, element: Node) -> None:
    content = element.get("content")
    if content is None:
        return
    for attribute in ("property", "name", "itemprop"):
        key = (element.get(attribute) or "").strip().lower()
        if key in _OG:
            walker.media(content, Placement.OG_IMAGE, f"meta[{key}]")
        elif key in _TWITTER:
            walker.media(content, Placement.TWITTER_IMAGE, f"meta[{key}]")
        elif key in _META_IMAGE:
            walker.media(content, Placement.META_IMAGE, f"meta[{attribute}={key}]")
        elif key == "robots" and walker.depth == 0:
            result = walker.collector.result
            result.robots = result.robots | frozenset(content.lower().replace(",", " ").split())
    if (element.get("http-equiv") or "").strip().lower() == "refresh":
        match = _REFRESH.match(content)
        if match and match.group("url"):
            walker.collector.link(match.group("url"), walker.base, detail="meta[refresh]")


def _anchor(walker: HtmlWalker, element: Node) -> None:
    href = element.get("href")
    if href is None:
        return
    tag = element.tag
    declared = (element.get("type") or "").strip().lower()
    placement, detail = Placement.A_HREF_MEDIA, f"{tag}[href]"
    if walker.context is not None:
        placement, detail = walker.context, f"{walker.context} > {detail}"
    elif walker.noscript:
        placement, detail = Placement.NOSCRIPT, f"noscript > {detail}"
    walker.collector.anchor(href, walker.base, rel=rel_tokens(element.get("rel")),
                            detail=detail, placement=placement,
                            media=declared.startswith(("image/", "video/")))


def _frame(walker: HtmlWalker, element: Node) -> None:
    src = element.get("src")
    if src is not None:
        walker.collector.frame(src, walker.base, f"{element.tag}[src]")
    srcdoc = element.get("srcdoc")
    if srcdoc and element.tag == "iframe":
        walker.srcdoc(srcdoc)


def _style(walker: HtmlWalker, element: Node) -> None:
    walker.css(element.text, Placement.STYLE_ELEMENT, "style")


def _input(walker: HtmlWalker, element: Node) -> None:
    if (element.get("type") or "").strip().lower() == "image":
        walker.media(element.get("src"), Placement.INPUT_IMAGE, "input[type=image][src]")


def _object(walker: HtmlWalker, element: Node) -> None:
    walker.media(element.get("data"), Placement.OBJECT_DATA, "object[data]")


def _embed(walker: HtmlWalker, element: Node) -> None:
    walker.media(element.get("src"), Placement.EMBED_SRC, "embed[src]")


HANDLERS: Final[dict[str, Callable[[HtmlWalker, Node], None]]] = {
    "img": _img, "image": _image, "feimage": _svg_href, "source": _source, "video": _video,
    "link": _link, "meta": _meta, "a": _anchor, "area": _anchor, "iframe": _frame,
    "frame": _frame, "style": _style, "input": _input, "object": _object, "embed": _embed,
}
