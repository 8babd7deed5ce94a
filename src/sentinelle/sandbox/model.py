"""The description of a sandbox world: what every site serves, and what each image is.

A :class:`World` is plain data, built by :func:`sentinelle.sandbox.build_world`
from a seed. It holds no pixels and no port: the servers render pages and draw
images from it on request, and URLs get their port when the servers are up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import TYPE_CHECKING

from sentinelle.sandbox.constructs import Construct, HostileCase
from sentinelle.sandbox.exceptions import UnknownProvider
from sentinelle.sandbox.providers import Provider, Site

if TYPE_CHECKING:
    from sentinelle.sandbox.internet import Internet


class MediaKind(StrEnum):
    KNOWN_COPY = "known-copy"  #: the exact bytes of a listed original
    KNOWN_VARIANT = "known-variant"  #: a listed original re-encoded, resized, mirrored or rotated
    DISTRACTOR = "distractor"  #: a picture on no list


class Transform(StrEnum):
    REENCODED = "reencoded"
    RESIZED = "resized"
    MIRRORED = "mirrored"
    ROTATED = "rotated"
    THUMBNAIL = "thumbnail"


class Expectation(StrEnum):
    """What matching a file against the known list should give."""

    EXACT = "exact"  #: MD5 equal to a listed one (and PDQ distance 0)
    NEAR = "near"  #: PDQ within 31 of a listed one (over the dihedral variants if mirrored/rotated)
    NONE = "none"  #: no match


class ImageFormat(StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    GIF = "gif"

    @property
    def content_type(self) -> str:
        return f"image/{self.value}"

    @property
    def extension(self) -> str:
        return ".jpg" if self is ImageFormat.JPEG else f".{self.value}"


#: Transforms whose copies are found through PDQ's dihedral (rotated, mirrored) hashes.
DIHEDRAL_TRANSFORMS = frozenset({Transform.MIRRORED, Transform.ROTATED})


@dataclass(frozen=True, slots=True)
class Media:
    """One distinct image file. Variants and thumbnails name their ``source`` picture."""

    id: int
    token: str
    kind: MediaKind
    format: ImageFormat
    width: int
    height: int
    source: int | None = None
    transform: Transform | None = None
    #: The transform's parameter: ``jpeg-q35``, ``x0.75``, ``rotate-90``...
    detail: str = ""
    #: List category of a known original and its variants.
    category: str | None = None

    @property
    def expected(self) -> Expectation:
        if self.kind is MediaKind.KNOWN_COPY:
            return Expectation.EXACT
        if self.kind is MediaKind.KNOWN_VARIANT:
            return Expectation.NEAR
        return Expectation.NONE

    @property
    def picture(self) -> int:
        """The id of the drawn picture: the source's for variants and thumbnails."""
        return self.id if self.source is None else self.source

    @property
    def dihedral(self) -> bool:
        return self.transform in DIHEDRAL_TRANSFORMS


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A URL without its scheme and port: host name, and path with any query."""

    host: str
    path: str

    def url(self, port: int) -> str:
        return f"http://{self.host}:{port}{self.path}"

    @property
    def bare_path(self) -> str:
        return self.path.partition("?")[0]


class Writing(StrEnum):
    """How a reference is written in its document."""

    ROOT_RELATIVE = "root-relative"  #: /media/x.jpg
    RELATIVE = "relative"  #: ../media/x.jpg, resolved against the document (or <base>)
    ABSOLUTE = "absolute"  #: http://host:port/media/x.jpg
    SCHEME_RELATIVE = "scheme-relative"  #: //host:port/media/x.jpg
    DATA = "data"  #: data:image/...;base64,...


@dataclass(frozen=True, slots=True)
class Placement:
    """One reference to one image, and what a crawler meets when it follows it."""

    media: int
    construct: Construct
    detail: str
    writing: Writing
    #: The HTML page a person would visit.
    page: Location
    #: The document the reference is written in: the page, a stylesheet or a frame.
    document: Location
    #: The first URL fetched; None for a data: URI.
    request: Location | None
    #: The URL whose answer carries the image; None for a data: URI.
    final: Location | None
    #: Content-Type of that answer (deliberately wrong for ``wrong-content-type``).
    content_type: str
    #: Statuses of the redirects on the way, in order.
    hops: tuple[int, ...] = ()


class PageKind(StrEnum):
    INDEX = "index"  #: a site's home page: links to everything on the site
    CONSTRUCT = "construct"  #: shows one construct
    LISTING = "listing"  #: one page of a paginated listing
    GALLERY = "gallery"  #: thumbnails linking to photo pages
    PHOTO = "photo"  #: one full-size picture of a gallery
    FRAME = "frame"  #: a document shown in an iframe
    TRAP = "trap"  #: the trap site's index


@dataclass(frozen=True, slots=True)
class Page:
    location: Location
    kind: PageKind
    title: str
    construct: Construct | None = None
    detail: str = ""
    placements: tuple[Placement, ...] = ()
    #: Links to other pages, in order (rel=prev/next for listings).
    links: tuple[Location, ...] = ()
    #: A listing's neighbours.
    previous: Location | None = None
    next: Location | None = None
    #: ``base-href``: the <base href> directory; ``stylesheet``: the linked stylesheet;
    #: ``iframe``: the framed document.
    base: Location | None = None
    stylesheet: Location | None = None
    frame: Location | None = None


@dataclass(frozen=True, slots=True)
class Stylesheet:
    location: Location
    placements: tuple[Placement, ...]


@dataclass(frozen=True, slots=True)
class Redirect:
    location: Location
    status: int
    target: Location


@dataclass(frozen=True, slots=True)
class Served:
    """An image answered at ``location`` (a query in it must match; else any query does)."""

    location: Location
    media: int
    content_type: str


@dataclass(frozen=True, slots=True)
class Hostile:
    case: HostileCase
    location: Location
    description: str


@dataclass(frozen=True, slots=True)
class HostileSettings:
    """Sizes and speeds of the hostile cases."""

    huge_bytes: int = 2 * 1024**3
    drip_interval: float = 0.1
    bomb_side: int = 50_000
    gzip_bomb_bytes: int = 1024**3
    enormous_html_bytes: int = 50 * 1000**2
    maze_fanout: int = 6


@dataclass(frozen=True)
class World:
    """Everything the sandbox serves, as data. Built by :func:`build_world`."""

    seed: int
    providers: tuple[Provider, ...]
    sites: tuple[Site, ...]
    media: tuple[Media, ...]
    pages: tuple[Page, ...]
    stylesheets: tuple[Stylesheet, ...]
    redirects: tuple[Redirect, ...]
    served: tuple[Served, ...]
    hostile: tuple[Hostile, ...]
    #: Registries, upstream networks, the CDN and domains around the providers.
    internet: Internet
    settings: HostileSettings = field(default_factory=HostileSettings)

    @cached_property
    def _sites_by_host(self) -> dict[str, Site]:
        return {site.host: site for site in self.sites}

    @cached_property
    def _providers_by_slug(self) -> dict[str, Provider]:
        return {provider.slug: provider for provider in self.providers}

    def site(self, host: str) -> Site | None:
        return self._sites_by_host.get(host.lower().rstrip("."))

    def provider(self, slug: str) -> Provider:
        try:
            return self._providers_by_slug[slug]
        except KeyError:
            raise UnknownProvider(f"no provider {slug!r} in this world") from None

    def provider_of(self, address: IPv4Address | IPv6Address | str) -> Provider | None:
        """The provider whose range holds ``address`` (what attribution should find)."""
        ip = ip_address(address) if isinstance(address, str) else address
        if not isinstance(ip, IPv4Address):
            return None
        for provider in self.providers:
            if ip in provider.network:
                return provider
        return None

    def hosts(self) -> dict[str, IPv4Address]:
        """Every host name and its address: sites, takedown desks, RDAP servers, the CDN's
        hosts and the sites it fronts (which resolve to its edge)."""
        table = {site.host: site.ip for site in self.sites}
        table.update({p.control_host: p.control_ip for p in self.providers})
        table.update(self.internet.hosts())
        return table

    @property
    def start_pages(self) -> tuple[Location, ...]:
        """Each site's home page; every site is also reachable from any other by links."""
        return tuple(Location(site.host, "/") for site in self.sites)

    def hostile_case(self, case: HostileCase) -> Hostile:
        return next(item for item in self.hostile if item.case is case)

    def placements(self) -> Iterator[Placement]:
        """Every placement, in page order (stylesheets' after the pages')."""
        for page in self.pages:
            yield from page.placements
        for sheet in self.stylesheets:
            yield from sheet.placements

    @property
    def known_originals(self) -> tuple[Media, ...]:
        """The listed originals (served as exact copies)."""
        return tuple(m for m in self.media if m.kind is MediaKind.KNOWN_COPY)
