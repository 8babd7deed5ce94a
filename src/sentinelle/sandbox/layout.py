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
        self._by_host = {site.host: site for site in self.sites}
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
        self,
        media: Media,
        construct: Construct,
        detail: str,
        page: Location,
        *,
        writing: Writing = Writing.ROOT_RELATIVE,
        document: Location | None = None,
        request: Location | None = None,
        final: Location | None = None,
        content_type: str | None = None,
        hops: tuple[int, ...] = (),
    ) -> Placement:
        if writing is not Writing.DATA and final is None:
            final = self.media_location(self._by_host[page.host], media)
        return Placement(
            media=media.id,
            construct=construct,
            detail=detail,
            writing=writing,
            page=page,
            document=document or page,
            request=None if writing is Writing.DATA else request or final,
            final=final,
            content_type=content_type or media.format.content_type,
            hops=hops,
        )

    def add_page(self, page: Page, *, linked_as: Location | None = None) -> Page:
        self.pages.append(page)
        self.links[page.location.host].append(linked_as or page.location)
        return page

    def construct_page(
        self,
        construct: Construct,
        detail: str,
        placements: Sequence[Placement],
        location: Location,
        *,
        base: Location | None = None,
        stylesheet: Location | None = None,
        frame: Location | None = None,
    ) -> Page:
        title = f"{construct} {detail}".strip()
        return Page(
            location,
            PageKind.CONSTRUCT,
            title,
            construct,
            detail,
            tuple(placements),
            base=base,
            stylesheet=stylesheet,
            frame=frame,
        )

    # -- galleries and listings ------------------------------------------------------------

    def build_galleries(self, thumbnails: int) -> None:
        items: list[tuple[Media, Media]] = []
        for number in range(thumbnails):
            full = self.originals.take() if number % 3 == 0 else self.take_distractor()
            media_id = len(self.media)
            thumb = make_variant(
                media_id,
                media_token(self.seed, media_id),
                full,
                Transform.THUMBNAIL,
                THUMBNAIL_SCALE,
                full.format,
            )
            self.media.append(thumb)
            items.append((thumb, full))
        for number in range(math.ceil(len(items) / GALLERY_SIZE)):
            self._gallery(number, items[number * GALLERY_SIZE : (number + 1) * GALLERY_SIZE])

    def _gallery(self, number: int, items: Sequence[tuple[Media, Media]]) -> None:
        site = self.next_site()
        index = Location(site.host, f"/gallery/{number + 1}/")
        thumbs, photos = [], []
        for position, (thumb, full) in enumerate(items, start=1):
            photo = Location(site.host, f"{index.path}photo-{position}.html")
            thumbs.append(self.place(thumb, Construct.GALLERY, "thumbnail", index))
            placement = self.place(full, Construct.GALLERY, "full-size", photo)
            photos.append(
                Page(
                    photo,
                    PageKind.PHOTO,
                    f"photo {position}",
                    Construct.GALLERY,
                    "full-size",
                    (placement,),
                    links=(index,),
                )
            )
        links = tuple(page.location for page in photos)
        self.add_page(
            Page(
                index,
                PageKind.GALLERY,
                f"gallery {number + 1}",
                Construct.GALLERY,
                "thumbnail",
                tuple(thumbs),
                links=links,
            )
        )
        self.pages.extend(photos)

    def build_listings(self) -> None:
        leftover = [
            *self.originals.unplaced(),
            *self.variants.unplaced(),
            *self.distractors.unplaced(),
        ]
        self.rng.shuffle(leftover)
        while len(leftover) < 3:
            leftover.append(self.take_distractor())
        series = max(1, min(len(self.sites), len(leftover) // (3 * LISTING_PAGE_SIZE)))
        size = math.ceil(len(leftover) / series)
        for number in range(series):
            self._listing(self.sites[number], leftover[number * size : (number + 1) * size])

    def _listing(self, site: Site, media: Sequence[Media]) -> None:
        count = max(min(3, len(media)), math.ceil(len(media) / LISTING_PAGE_SIZE))
        per_page = math.ceil(len(media) / count)
        locations = [Location(site.host, f"/list/{n + 1}.html") for n in range(count)]
        for n, location in enumerate(locations):
            chunk = media[n * per_page : (n + 1) * per_page]
            placements = tuple(
                self.place(m, Construct.PAGINATION, f"page {n + 1}", location) for m in chunk
            )
            page = Page(
                location,
                PageKind.LISTING,
                f"listing page {n + 1}",
                Construct.PAGINATION,
                f"page {n + 1}",
                placements,
                previous=locations[n - 1] if n else None,
                next=locations[n + 1] if n + 1 < count else None,
            )
            if n == 0:
                self.add_page(page)
            else:
                self.pages.append(page)
