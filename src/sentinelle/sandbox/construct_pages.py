"""The construct pages: one per construct and detail, each placing a known image first.

Where a construct holds two images, the second is a distractor. Pages go to the
ordinary sites in turn; images are served on the page's own site unless the
construct is about another site (``other-site``, iframes).
"""

from __future__ import annotations

from typing import Final

from sentinelle.sandbox.constructs import Construct
from sentinelle.sandbox.layout import LayoutBuilder
from sentinelle.sandbox.model import Location, Page, PageKind, Redirect, Stylesheet, Writing

#: Constructs that place one image and differ only in how the page is written.
SINGLE: Final = (
    (Construct.NOSCRIPT, "", Writing.ROOT_RELATIVE),
    (Construct.INLINE_STYLE, "", Writing.ROOT_RELATIVE),
    (Construct.STYLE_ELEMENT, "", Writing.ROOT_RELATIVE),
    (Construct.LINK_HREF, "", Writing.ROOT_RELATIVE),
    (Construct.OG_IMAGE, "", Writing.ABSOLUTE),
    (Construct.TWITTER_IMAGE, "", Writing.ABSOLUTE),
    (Construct.VIDEO_POSTER, "", Writing.ROOT_RELATIVE),
    (Construct.PRELOAD, "", Writing.ROOT_RELATIVE),
    (Construct.NO_EXTENSION, "", Writing.ROOT_RELATIVE),
    (Construct.DATA_URI, "", Writing.DATA),
)
LAZY_ATTRIBUTES: Final = (
    "data-src",
    "data-srcset",
    "data-original",
    "data-lazy-src",
    "data-lazy",
    "data-bg",
)
IMG_SRC_WRITINGS: Final = (
    Writing.ROOT_RELATIVE,
    Writing.RELATIVE,
    Writing.ABSOLUTE,
    Writing.SCHEME_RELATIVE,
)
REDIRECT_STATUSES: Final = (301, 302, 307, 308)
WRONG_TYPES: Final = ("text/plain", "text/html", "application/octet-stream")


def build_construct_pages(layout: LayoutBuilder) -> None:
    """One page per construct and detail, spread over the sites in turn."""
    for writing in IMG_SRC_WRITINGS:
        _pair(layout, Construct.IMG_SRC, str(writing), writing)
    _other_site_img(layout)
    for construct, detail, writing in SINGLE:
        _single(layout, construct, detail, writing)
    for attribute in LAZY_ATTRIBUTES:
        _single(layout, Construct.LAZY, attribute, Writing.ROOT_RELATIVE)
    _pair(layout, Construct.SRCSET, "density", Writing.ROOT_RELATIVE)
    _pair(layout, Construct.SRCSET, "width", Writing.ROOT_RELATIVE)
    _pair(layout, Construct.PICTURE, "", Writing.ROOT_RELATIVE)
    _base_href(layout)
    _stylesheet(layout)
    _iframe(layout)
    for status in REDIRECT_STATUSES:
        _redirect(layout, str(status), (status,))
    _redirect(layout, "chain", REDIRECT_STATUSES)
    _redirect(layout, "other-site", (302,))
    for content_type in WRONG_TYPES:
        _wrong_type(layout, content_type)
    _query_id(layout)
    _cache_buster(layout)
    _page_redirect(layout, "301", (301,))
    _page_redirect(layout, "chain", (302, 308))


def _single(layout: LayoutBuilder, construct: Construct, detail: str, writing: Writing) -> None:
    site = layout.next_site()
    location = layout.page_location(site, construct, detail)
    media = layout.take_known()
    final = None
    if construct is Construct.NO_EXTENSION:
        final = layout.serve(Location(site.host, f"/m/{media.token}"), media)
    placement = layout.place(media, construct, detail, location, writing=writing, final=final)
    layout.add_page(layout.construct_page(construct, detail, [placement], location))


def _pair(layout: LayoutBuilder, construct: Construct, detail: str, writing: Writing) -> None:
    site = layout.next_site()
    location = layout.page_location(site, construct, detail)
    labels = {"density": ("1x", "2x"), "width": ("320w", "640w"), "": ("source", "img")}
    parts = labels.get(detail, (detail, detail))
    placements = [
        layout.place(
            media,
            construct,
            detail if construct is Construct.IMG_SRC else part,
            location,
            writing=writing,
        )
        for media, part in zip((layout.take_known(), layout.take_distractor()), parts, strict=True)
    ]
    layout.add_page(layout.construct_page(construct, detail, placements, location))


def _other_site_img(layout: LayoutBuilder) -> None:
    site = layout.next_site()
    location = layout.page_location(site, Construct.IMG_SRC, "other-site")
    elsewhere = layout.neighbour(site)
    placements = [
        layout.place(
            media,
            Construct.IMG_SRC,
            "other-site",
            location,
            writing=Writing.ABSOLUTE,
            final=layout.media_location(elsewhere, media),
        )
        for media in (layout.take_known(), layout.take_distractor())
    ]
    layout.add_page(layout.construct_page(Construct.IMG_SRC, "other-site", placements, location))


def _base_href(layout: LayoutBuilder) -> None:
    site = layout.next_site()
    location = layout.page_location(site, Construct.BASE_HREF, "")
    base = Location(site.host, f"/assets/{layout.rng.randrange(16**6):06x}/")
    placements = []
    for media in (layout.take_known(), layout.take_distractor()):
        final = layout.serve(
            Location(site.host, f"{base.path}{media.token}{media.format.extension}"), media
        )
        placements.append(
            layout.place(
                media, Construct.BASE_HREF, "", location, writing=Writing.RELATIVE, final=final
            )
        )
    layout.add_page(layout.construct_page(Construct.BASE_HREF, "", placements, location, base=base))


def _stylesheet(layout: LayoutBuilder) -> None:
    site = layout.next_site()
    location = layout.page_location(site, Construct.STYLESHEET, "")
    sheet = Location(site.host, f"/css/{layout.rng.randrange(16**6):06x}.css")
    placements = [
        layout.place(media, Construct.STYLESHEET, detail, location, writing=writing, document=sheet)
        for media, detail, writing in (
            (layout.take_known(), "relative-to-stylesheet", Writing.RELATIVE),
            (layout.take_distractor(), "root-relative", Writing.ROOT_RELATIVE),
        )
    ]
    layout.stylesheets.append(Stylesheet(sheet, tuple(placements)))
    layout.add_page(layout.construct_page(Construct.STYLESHEET, "", [], location, stylesheet=sheet))


def _iframe(layout: LayoutBuilder) -> None:
    site = layout.next_site()
    location = layout.page_location(site, Construct.IFRAME, "other-site")
    frame_site = layout.neighbour(site)
    frame = Location(frame_site.host, f"/frames/{layout.rng.randrange(16**6):06x}.html")
    media = layout.take_known()
    placement = layout.place(
        media,
        Construct.IFRAME,
        "other-site",
        location,
        document=frame,
        final=layout.media_location(frame_site, media),
    )
    layout.pages.append(Page(frame, PageKind.FRAME, "frame", placements=(placement,)))
    layout.add_page(
        layout.construct_page(Construct.IFRAME, "other-site", [], location, frame=frame)
    )


def _redirect(layout: LayoutBuilder, detail: str, statuses: tuple[int, ...]) -> None:
    site = layout.next_site()
    location = layout.page_location(site, Construct.REDIRECT, detail)
    media = layout.take_known()
    target_site = layout.neighbour(site) if detail == "other-site" else site
    final = layout.media_location(target_site, media)
    stem = f"/go/{media.token}-{detail}"
    hops = [
        Location(site.host, stem if len(statuses) == 1 else f"{stem}/{n + 1}")
        for n in range(len(statuses))
    ]
    for hop, status, target in zip(hops, statuses, [*hops[1:], final], strict=True):
        layout.redirects.append(Redirect(hop, status, target))
    placement = layout.place(
        media, Construct.REDIRECT, detail, location, request=hops[0], final=final, hops=statuses
    )
    layout.add_page(layout.construct_page(Construct.REDIRECT, detail, [placement], location))


def _wrong_type(layout: LayoutBuilder, content_type: str) -> None:
    site = layout.next_site()
    location = layout.page_location(site, Construct.WRONG_TYPE, content_type)
    media = layout.take_known()
    final = layout.serve(
        Location(site.host, f"/files/{media.token}{media.format.extension}"),
        media,
        content_type,
    )
    placement = layout.place(
        media, Construct.WRONG_TYPE, content_type, location, final=final, content_type=content_type
    )
    layout.add_page(
        layout.construct_page(Construct.WRONG_TYPE, content_type, [placement], location)
    )


def _query_id(layout: LayoutBuilder) -> None:
    site = layout.next_site()
    location = layout.page_location(site, Construct.QUERY_STRING, "id-parameter")
    media = layout.take_known()
    final = layout.serve(Location(site.host, f"/show.php?id={media.token}"), media)
    placement = layout.place(media, Construct.QUERY_STRING, "id-parameter", location, final=final)
    layout.add_page(
        layout.construct_page(Construct.QUERY_STRING, "id-parameter", [placement], location)
    )


def _cache_buster(layout: LayoutBuilder) -> None:
    site = layout.next_site()
    location = layout.page_location(site, Construct.QUERY_STRING, "cache-buster")
    media = layout.take_known()
    served = layout.media_location(site, media)
    final = Location(site.host, f"{served.path}?v={layout.rng.randint(2, 99)}")
    placement = layout.place(media, Construct.QUERY_STRING, "cache-buster", location, final=final)
    layout.add_page(
        layout.construct_page(Construct.QUERY_STRING, "cache-buster", [placement], location)
    )


def _page_redirect(layout: LayoutBuilder, detail: str, statuses: tuple[int, ...]) -> None:
    site = layout.next_site()
    location = layout.page_location(site, Construct.PAGE_REDIRECT, detail)
    token = f"{layout.rng.randrange(16**6):06x}"
    hops = [Location(site.host, f"/old/{token}-{n}.html") for n in range(len(statuses))]
    for hop, status, target in zip(hops, statuses, [*hops[1:], location], strict=True):
        layout.redirects.append(Redirect(hop, status, target))
    placement = layout.place(layout.take_known(), Construct.PAGE_REDIRECT, detail, location)
    layout.add_page(
        layout.construct_page(Construct.PAGE_REDIRECT, detail, [placement], location),
        linked_as=hops[0],
    )
