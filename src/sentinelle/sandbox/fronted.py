"""The site the CDN fronts: a home page and a photo page, served by a provider's origin.

It is not in ``world.sites`` nor in the ring of home pages, so crawls of the
ordinary sites are the same with or without it. Its home page places a known
original, a known variant and a distractor; its photo page places a known
original behind a 302.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from sentinelle.sandbox.constructs import Construct
from sentinelle.sandbox.internet import FrontedSite
from sentinelle.sandbox.layout import LayoutBuilder
from sentinelle.sandbox.model import Location, Media, MediaKind, Page, PageKind, Redirect
from sentinelle.sandbox.providers import Site


def _first(media: Sequence[Media], kind: MediaKind) -> Media | None:
    return next((m for m in media if m.kind is kind), None)


def build_fronted_site(seed: int, site: Site, media: Sequence[Media]) -> FrontedSite:
    layout = LayoutBuilder(seed, [site], list(media), random.Random(f"sandbox-fronted:{seed}"))
    originals = [m for m in media if m.kind is MediaKind.KNOWN_COPY]
    variant = _first(media, MediaKind.KNOWN_VARIANT) or originals[0]
    distractor = _first(media, MediaKind.DISTRACTOR) or originals[0]
    home = Location(site.host, "/")
    photo = Location(site.host, "/photos/1.html")
    shown = tuple(
        layout.place(m, Construct.IMG_SRC, "root-relative", home)
        for m in (originals[-1], variant, distractor)
    )
    behind = originals[0]
    final = layout.media_location(site, behind)
    hop = Location(site.host, f"/go/{behind.token}")
    layout.redirects.append(Redirect(hop, 302, final))
    placement = layout.place(
        behind, Construct.REDIRECT, "302", photo, request=hop, final=final, hops=(302,)
    )
    photo_page = replace(
        layout.construct_page(Construct.REDIRECT, "302", [placement], photo), links=(home,)
    )
    home_page = Page(home, PageKind.INDEX, site.host, placements=shown, links=(photo,))
    return FrontedSite(
        site=site,
        pages=(home_page, photo_page),
        redirects=tuple(layout.redirects),
        served=tuple(layout.served.values()),
    )
