"""Where every image goes: one page per construct, galleries, then paginated listings.

Construct pages come first, spread over the ordinary sites in turn; each places a
known image first (so a crawler that misses the construct misses a match) and,
where the construct holds two, a distractor second. Galleries take an original
in three and distractors. Every image not placed yet goes into the listings, so
each image of the world is served at least once.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Final

from sentinelle.sandbox.allocation import THUMBNAIL_SCALE, MediaPool, make_variant, media_token
from sentinelle.sandbox.constructs import Construct
from sentinelle.sandbox.model import (
    Location,
    Media,
    MediaKind,
    Page,
    PageKind,
    Placement,
    Redirect,
    Served,
    Stylesheet,
    Transform,
    Writing,
)
from sentinelle.sandbox.providers import Site

#: Images per listing page, and per gallery.
LISTING_PAGE_SIZE: Final = 24
GALLERY_SIZE: Final = 12
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
    "data-src", "data-srcset", "data-original", "data-lazy-src", "data-lazy", "data-bg",
)
IMG_SRC_WRITINGS: Final = (
    Writing.ROOT_RELATIVE, Writing.RELATIVE, Writing.ABSOLUTE, Writing.SCHEME_RELATIVE,
)
REDIRECT_STATUSES: Final = (301, 302, 307, 308)
WRONG_TYPES: Final = ("text/plain", "text/html", "application/octet-stream")


class LayoutBuilder:
    """Builds pages, stylesheets, redirects and served locations for a list of media."""

    def __init__(self, seed: int, sites: Sequence[Site], media: list[Media], rng: random.Random):
        self.seed = seed
        self.sites = list(sites)
        self.media = media
        self.rng = rng
        self.originals = MediaPool([m for m in media if m.kind is MediaKind.KNOWN_COPY])
        self.variants = MediaPool([m for m in media if m.kind is MediaKind.KNOWN_VARIANT])
        self.distractors = MediaPool([m for m in media if m.kind is MediaKind.DISTRACTOR])
        self.pages: list[Page] = []
        self.stylesheets: list[Stylesheet] = []
        self.redirects: list[Redirect] = []
        self.served: dict[Location, Served] = {}
        self.links: dict[str, list[Location]] = defaultdict(list)
        self._turn = 0
        self._known_turn = 0

    # -- helpers ---------------------------------------------------------------------------

    def next_site(self) -> Site:
        site = self.sites[self._turn % len(self.sites)]
        self._turn += 1
        return site

    def neighbour(self, site: Site) -> Site:
        return self.sites[(self.sites.index(site) + 1) % len(self.sites)]

    def take_known(self) -> Media:
        self._known_turn += 1
        if self._known_turn % 2 == 1 or not self.variants:
            return self.originals.take()
        return self.variants.take()

    def take_distractor(self) -> Media:
        return self.distractors.take() if self.distractors else self.take_known()

    def serve(self, location: Location, media: Media, content_type: str | None = None) -> Location:
        kind = content_type or media.format.content_type
        self.served[location] = Served(location, media.id, kind)
        return location

    def media_location(self, site: Site, media: Media) -> Location:
        path = f"/media/{media.token}{media.format.extension}"
        return self.serve(Location(site.host, path), media)

    def page_location(self, site: Site, construct: Construct, detail: str) -> Location:
        if not detail:
            return Location(site.host, f"/{construct}.html")
        name = detail.replace("/", "-").replace(" ", "-")
        return Location(site.host, f"/{construct}/{name}.html")

    def place(
        self, media: Media, construct: Construct, detail: str, page: Location, *,
        writing: Writing = Writing.ROOT_RELATIVE, document: Location | None = None,
        request: Location | None = None, final: Location | None = None,
        content_type: str | None = None, hops: tuple[int, ...] = (),
    ) -> Placement:
        if writing is not Writing.DATA and final is None:
            final = self.media_location(self.sites_by_host[page.host], media)
        return Placement(
            media=media.id, construct=construct, detail=detail, writing=writing, page=page,
            document=document or page,
            request=None if writing is Writing.DATA else request or final,
            final=final, content_type=content_type or media.format.content_type, hops=hops,
        )

    @property
    def sites_by_host(self) -> dict[str, Site]:
        return {site.host: site for site in self.sites}

    def add_page(self, page: Page, *, linked_as: Location | None = None) -> Page:
        self.pages.append(page)
        self.links[page.location.host].append(linked_as or page.location)
        return page

    def construct_page(self, construct: Construct, detail: str, placements: Sequence[Placement],
                       location: Location, **extra: Location | None) -> Page:
        title = f"{construct} {detail}".strip()
        return Page(location, PageKind.CONSTRUCT, title, construct, detail, tuple(placements),
                    **extra)

    # -- constructs ------------------------------------------------------------------------

    def build_constructs(self) -> None:
        for writing in IMG_SRC_WRITINGS:
            self._pair(Construct.IMG_SRC, str(writing), writing)
        self._other_site_img()
        for construct, detail, writing in SINGLE:
            self._single(construct, detail, writing)
        for attribute in LAZY_ATTRIBUTES:
            self._single(Construct.LAZY, attribute, Writing.ROOT_RELATIVE)
        self._pair(Construct.SRCSET, "density", Writing.ROOT_RELATIVE)
        self._pair(Construct.SRCSET, "width", Writing.ROOT_RELATIVE)
        self._pair(Construct.PICTURE, "", Writing.ROOT_RELATIVE)
        self._base_href()
        self._stylesheet()
        self._iframe()
        for status in REDIRECT_STATUSES:
            self._redirect(str(status), (status,))
        self._redirect("chain", REDIRECT_STATUSES)
        self._redirect("other-site", (302,))
        for content_type in WRONG_TYPES:
            self._wrong_type(content_type)
        self._query_id()
        self._cache_buster()
        self._page_redirect()

    def _single(self, construct: Construct, detail: str, writing: Writing) -> None:
        site = self.next_site()
        location = self.page_location(site, construct, detail)
        media = self.take_known()
        final = None
        if construct is Construct.NO_EXTENSION:
            final = self.serve(Location(site.host, f"/m/{media.token}"), media)
        placement = self.place(media, construct, detail, location, writing=writing, final=final)
        self.add_page(self.construct_page(construct, detail, [placement], location))

    def _pair(self, construct: Construct, detail: str, writing: Writing) -> None:
        site = self.next_site()
        location = self.page_location(site, construct, detail)
        labels = {"density": ("1x", "2x"), "width": ("320w", "640w"), "": ("source", "img")}
        parts = labels.get(detail, (detail, detail))
        placements = [
            self.place(media, construct, detail if construct is Construct.IMG_SRC else part,
                       location, writing=writing)
            for media, part in zip((self.take_known(), self.take_distractor()), parts, strict=True)
        ]
        self.add_page(self.construct_page(construct, detail, placements, location))

    def _other_site_img(self) -> None:
        site = self.next_site()
        location = self.page_location(site, Construct.IMG_SRC, "other-site")
        elsewhere = self.neighbour(site)
        placements = [
            self.place(media, Construct.IMG_SRC, "other-site", location, writing=Writing.ABSOLUTE,
                       final=self.media_location(elsewhere, media))
            for media in (self.take_known(), self.take_distractor())
        ]
        self.add_page(self.construct_page(Construct.IMG_SRC, "other-site", placements, location))

    def _base_href(self) -> None:
        site = self.next_site()
        location = self.page_location(site, Construct.BASE_HREF, "")
        base = Location(site.host, f"/assets/{self.rng.randrange(16**6):06x}/")
        placements = []
        for media in (self.take_known(), self.take_distractor()):
            final = self.serve(Location(site.host, f"{base.path}{media.token}{media.format.extension}"),
                               media)
            placements.append(self.place(media, Construct.BASE_HREF, "", location,
                                         writing=Writing.RELATIVE, final=final))
        self.add_page(self.construct_page(Construct.BASE_HREF, "", placements, location, base=base))

    def _stylesheet(self) -> None:
        site = self.next_site()
        location = self.page_location(site, Construct.STYLESHEET, "")
        sheet = Location(site.host, f"/css/{self.rng.randrange(16**6):06x}.css")
        placements = [
            self.place(media, Construct.STYLESHEET, detail, location, writing=writing,
                       document=sheet)
            for media, detail, writing in (
                (self.take_known(), "relative-to-stylesheet", Writing.RELATIVE),
                (self.take_distractor(), "root-relative", Writing.ROOT_RELATIVE),
            )
        ]
        self.stylesheets.append(Stylesheet(sheet, tuple(placements)))
        self.add_page(self.construct_page(Construct.STYLESHEET, "", [], location, stylesheet=sheet))

    def _iframe(self) -> None:
        site = self.next_site()
        location = self.page_location(site, Construct.IFRAME, "other-site")
        frame_site = self.neighbour(site)
        frame = Location(frame_site.host, f"/frames/{self.rng.randrange(16**6):06x}.html")
        media = self.take_known()
        placement = self.place(media, Construct.IFRAME, "other-site", location, document=frame,
                               final=self.media_location(frame_site, media))
        self.pages.append(Page(frame, PageKind.FRAME, "frame", placements=(placement,)))
        self.add_page(self.construct_page(Construct.IFRAME, "other-site", [], location,
                                          frame=frame))

    def _redirect(self, detail: str, statuses: tuple[int, ...]) -> None:
        site = self.next_site()
        location = self.page_location(site, Construct.REDIRECT, detail)
        media = self.take_known()
        target_site = self.neighbour(site) if detail == "other-site" else site
        final = self.media_location(target_site, media)
        stem = f"/go/{media.token}-{detail}"
        hops = [Location(site.host, stem if len(statuses) == 1 else f"{stem}/{n + 1}")
                for n in range(len(statuses))]
        for hop, status, target in zip(hops, statuses, [*hops[1:], final], strict=True):
            self.redirects.append(Redirect(hop, status, target))
        placement = self.place(media, Construct.REDIRECT, detail, location, request=hops[0],
                               final=final, hops=statuses)
        self.add_page(self.construct_page(Construct.REDIRECT, detail, [placement], location))

    def _wrong_type(self, content_type: str) -> None:
        site = self.next_site()
        location = self.page_location(site, Construct.WRONG_TYPE, content_type)
        media = self.take_known()
        final = self.serve(
            Location(site.host, f"/files/{media.token}{media.format.extension}"), media,
            content_type,
        )
        placement = self.place(media, Construct.WRONG_TYPE, content_type, location, final=final,
                               content_type=content_type)
        self.add_page(self.construct_page(Construct.WRONG_TYPE, content_type, [placement],
                                          location))

    def _query_id(self) -> None:
        site = self.next_site()
        location = self.page_location(site, Construct.QUERY_STRING, "id-parameter")
        media = self.take_known()
        final = self.serve(Location(site.host, f"/show.php?id={media.token}"), media)
        placement = self.place(media, Construct.QUERY_STRING, "id-parameter", location,
                               final=final)
        self.add_page(self.construct_page(Construct.QUERY_STRING, "id-parameter", [placement],
                                          location))

    def _cache_buster(self) -> None:
        site = self.next_site()
        location = self.page_location(site, Construct.QUERY_STRING, "cache-buster")
        media = self.take_known()
        served = self.media_location(site, media)
        final = Location(site.host, f"{served.path}?v={self.rng.randint(2, 99)}")
        placement = self.place(media, Construct.QUERY_STRING, "cache-buster", location,
                               final=final)
        self.add_page(self.construct_page(Construct.QUERY_STRING, "cache-buster", [placement],
                                          location))

    def _page_redirect(self) -> None:
        site = self.next_site()
        location = self.page_location(site, Construct.PAGE_REDIRECT, "301")
        old = Location(site.host, f"/old/{self.rng.randrange(16**6):06x}.html")
        self.redirects.append(Redirect(old, 301, location))
        placement = self.place(self.take_known(), Construct.PAGE_REDIRECT, "301", location)
        self.add_page(self.construct_page(Construct.PAGE_REDIRECT, "301", [placement], location),
                      linked_as=old)

    # -- galleries and listings ------------------------------------------------------------

    def build_galleries(self, thumbnails: int) -> None:
        items: list[tuple[Media, Media]] = []
        for number in range(thumbnails):
            full = self.originals.take() if number % 3 == 0 else self.take_distractor()
            media_id = len(self.media)
            thumb = make_variant(media_id, media_token(self.seed, media_id), full,
                                 Transform.THUMBNAIL, THUMBNAIL_SCALE, full.format)
            self.media.append(thumb)
            items.append((thumb, full))
        for number in range(math.ceil(len(items) / GALLERY_SIZE)):
            self._gallery(number, items[number * GALLERY_SIZE:(number + 1) * GALLERY_SIZE])

    def _gallery(self, number: int, items: Sequence[tuple[Media, Media]]) -> None:
        site = self.next_site()
        index = Location(site.host, f"/gallery/{number + 1}/")
        thumbs, photos = [], []
        for position, (thumb, full) in enumerate(items, start=1):
            photo = Location(site.host, f"{index.path}photo-{position}.html")
            thumbs.append(self.place(thumb, Construct.GALLERY, "thumbnail", index))
            placement = self.place(full, Construct.GALLERY, "full-size", photo)
            photos.append(Page(photo, PageKind.PHOTO, f"photo {position}", Construct.GALLERY,
                               "full-size", (placement,), links=(index,)))
        links = tuple(page.location for page in photos)
        self.add_page(Page(index, PageKind.GALLERY, f"gallery {number + 1}", Construct.GALLERY,
                           "thumbnail", tuple(thumbs), links=links))
        self.pages.extend(photos)

    def build_listings(self) -> None:
        leftover = [*self.originals.unplaced(), *self.variants.unplaced(),
                    *self.distractors.unplaced()]
        self.rng.shuffle(leftover)
        while len(leftover) < 3:
            leftover.append(self.take_distractor())
        series = max(1, min(len(self.sites), len(leftover) // (3 * LISTING_PAGE_SIZE)))
        size = math.ceil(len(leftover) / series)
        for number in range(series):
            self._listing(self.sites[number], leftover[number * size:(number + 1) * size])

    def _listing(self, site: Site, media: Sequence[Media]) -> None:
        count = max(min(3, len(media)), math.ceil(len(media) / LISTING_PAGE_SIZE))
        per_page = math.ceil(len(media) / count)
        locations = [Location(site.host, f"/list/{n + 1}.html") for n in range(count)]
        for n, location in enumerate(locations):
            chunk = media[n * per_page:(n + 1) * per_page]
            placements = tuple(self.place(m, Construct.PAGINATION, f"page {n + 1}", location)
                               for m in chunk)
            page = Page(
                location, PageKind.LISTING, f"listing page {n + 1}", Construct.PAGINATION,
                f"page {n + 1}", placements,
                previous=locations[n - 1] if n else None,
                next=locations[n + 1] if n + 1 < count else None,
            )
            if n == 0:
                self.add_page(page)
            else:
                self.pages.append(page)
        for placement in (p for page in self.pages for p in page.placements):
            if placement.construct is Construct.PAGINATION:
                self._mark_placed(placement.media)

    def _mark_placed(self, media_id: int) -> None:
        for pool in (self.originals, self.variants, self.distractors):
            pool.placed.add(media_id)
