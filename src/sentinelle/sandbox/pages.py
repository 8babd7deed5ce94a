"""HTML and CSS of the world's documents, written the way real sites write them.

Rendering needs the port, since absolute URLs carry it, and the image bytes for
``data:`` URIs. The same world and port always give the same text.
"""

from __future__ import annotations

import base64
import posixpath
from collections.abc import Callable, Sequence
from html import escape

from sentinelle.sandbox.constructs import Construct
from sentinelle.sandbox.model import Location, Page, PageKind, Placement, Stylesheet, Writing

BytesOf = Callable[[int], bytes]

BLURB = (
    "A page of the sentinelle sandbox web. Every picture here is drawn by a program: "
    "gradients, hills and shapes."
)


def document(title: str, body: str, head: str = "") -> str:
    """A whole HTML document."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n{head}</head>\n<body>\n<h1>{escape(title)}</h1>\n"
        f"<p>{BLURB}</p>\n{body}</body>\n</html>\n"
    )


def href(target: Location, document_location: Location, port: int) -> str:
    """A link to ``target``: root-relative on the same host, absolute elsewhere."""
    if target.host == document_location.host:
        return target.path
    return target.url(port)


def relative(target: Location, start_directory: str) -> str:
    path, mark, query = target.path.partition("?")
    return posixpath.relpath(path, start_directory) + mark + query


class Renderer:
    """Writes the documents of one world served on one port."""

    def __init__(self, port: int, bytes_of: BytesOf) -> None:
        self.port = port
        self.bytes_of = bytes_of

    def reference(self, placement: Placement, base: Location | None = None) -> str:
        """The reference as written in its document (escaped for an attribute)."""
        target = placement.request
        if placement.writing is Writing.DATA or target is None:
            data = base64.b64encode(self.bytes_of(placement.media)).decode("ascii")
            return f"data:{placement.content_type};base64,{data}"
        holder = placement.document
        if placement.writing is Writing.RELATIVE:
            start = base.path if base is not None else posixpath.dirname(holder.path)
            return escape(relative(target, start))
        if placement.writing is Writing.SCHEME_RELATIVE:
            return escape(f"//{target.host}:{self.port}{target.path}")
        if placement.writing is Writing.ABSOLUTE or target.host != holder.host:
            return escape(target.url(self.port))
        return escape(target.path)

    def links(self, page: Page) -> str:
        items = "".join(
            f'<li><a href="{escape(href(link, page.location, self.port))}">'
            f"{escape(link.host if link.path == '/' else link.path)}</a></li>\n"
            for link in page.links
        )
        return f"<nav><ul>\n{items}</ul></nav>\n" if items else ""

    def page(self, page: Page) -> str:
        if page.kind is PageKind.GALLERY:
            return self._gallery(page)
        if page.kind is PageKind.LISTING:
            return self._listing(page)
        head, body = self._construct(page)
        return document(page.title, body + self.links(page), head)

    def stylesheet(self, sheet: Stylesheet) -> str:
        first, second = (self.reference(p) for p in sheet.placements)
        return (
            "/* sentinelle sandbox */\n"
            f'.hero {{ height: 240px; background-image: url("{first}"); }}\n'
            f".band {{ height: 120px; background: #334 url({second}) repeat-x; }}\n"
        )

    def _gallery(self, page: Page) -> str:
        items = "".join(
            f'<a href="{escape(relative(link, page.location.path))}">'
            f'<img src="{self.reference(p)}" alt="thumbnail {n}"></a>\n'
            for n, (p, link) in enumerate(zip(page.placements, page.links, strict=True), 1)
        )
        return document(page.title, f'<div class="gallery">\n{items}</div>\n')

    def _listing(self, page: Page) -> str:
        head, nav = "", []
        for rel, target in (("prev", page.previous), ("next", page.next)):
            if target is not None:
                link = escape(href(target, page.location, self.port))
                head += f'<link rel="{rel}" href="{link}">\n'
                nav.append(f'<a rel="{rel}" href="{link}">{rel}</a>')
        images = "".join(
            f'<img src="{self.reference(p)}" loading="lazy" alt="picture {n}">\n'
            for n, p in enumerate(page.placements, 1)
        )
        return document(page.title, f"{images}<nav>{' '.join(nav)}</nav>\n", head)

    def _construct(self, page: Page) -> tuple[str, str]:
        refs = [self.reference(p, page.base) for p in page.placements]
        construct = page.construct
        if page.kind is PageKind.CONSTRUCT and construct is not None:
            special = self._special(page, construct, refs)
            if special is not None:
                return special
        return "", _images(refs)

    def _special(
        self, page: Page, construct: Construct, refs: Sequence[str]
    ) -> tuple[str, str] | None:
        detail = page.detail
        ref = refs[0] if refs else ""
        if construct is Construct.SRCSET:
            first, second = refs
            if detail == "density":
                return "", f'<img srcset="{first} 1x, {second} 2x" alt="">\n'
            return "", (
                f'<img srcset="{first} 320w, {second} 640w" '
                'sizes="(max-width: 600px) 320px, 640px" alt="">\n'
            )
        if construct is Construct.PICTURE:
            kind = page.placements[0].content_type
            return "", (
                f'<picture>\n<source srcset="{refs[0]}" type="{kind}">\n'
                f'<img src="{refs[1]}" alt="">\n</picture>\n'
            )
        if construct is Construct.LAZY:
            return "", _lazy(detail, ref)
        if construct is Construct.NOSCRIPT:
            return "", f'<noscript><img src="{ref}" alt=""></noscript>\n'
        if construct is Construct.INLINE_STYLE:
            return "", f'<div class="hero" style="background-image: url(\'{ref}\')"></div>\n'
        if construct is Construct.STYLE_ELEMENT:
            style = f'<style>\n.banner {{ background: #222 url("{ref}") no-repeat; }}\n</style>\n'
            return style, '<div class="banner"></div>\n'
        if construct is Construct.STYLESHEET and page.stylesheet is not None:
            link = escape(href(page.stylesheet, page.location, self.port))
            return (
                f'<link rel="stylesheet" href="{link}">\n',
                '<div class="hero"></div>\n<div class="band"></div>\n',
            )
        if construct is Construct.LINK_HREF:
            return "", f'<p><a href="{ref}">the picture, full size</a></p>\n'
        if construct is Construct.OG_IMAGE:
            return f'<meta property="og:image" content="{ref}">\n', ""
        if construct is Construct.TWITTER_IMAGE:
            return (
                '<meta name="twitter:card" content="summary_large_image">\n'
                f'<meta name="twitter:image" content="{ref}">\n',
                "",
            )
        if construct is Construct.VIDEO_POSTER:
            return "", f'<video controls width="320" height="240" poster="{ref}"></video>\n'
        if construct is Construct.PRELOAD:
            return f'<link rel="preload" as="image" href="{ref}">\n', ""
        if construct is Construct.BASE_HREF and page.base is not None:
            return f'<base href="{escape(page.base.path)}">\n', _images(refs)
        if construct is Construct.IFRAME and page.frame is not None:
            frame = escape(href(page.frame, page.location, self.port))
            return "", f'<iframe src="{frame}" width="400" height="300"></iframe>\n'
        return None


def _images(refs: Sequence[str]) -> str:
    return "".join(f'<img src="{ref}" alt="picture {n}">\n' for n, ref in enumerate(refs, 1))


def _lazy(attribute: str, ref: str) -> str:
    if attribute == "data-bg":
        return f'<div class="lazyload" data-bg="{ref}"></div>\n'
    if attribute == "data-srcset":
        return f'<img class="lazyload" data-srcset="{ref} 1x" alt="">\n'
    return f'<img class="lazyload" {attribute}="{ref}" alt="">\n'
