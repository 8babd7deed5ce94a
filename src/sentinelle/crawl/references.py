"""What extraction finds in a page: media references, links, frames, stylesheets, data: media.

Plain frozen data, no behaviour: :mod:`.extract` fills an :class:`Extraction`, the
crawler reads it. Every URL here is absolute, without fragment, ``http`` or ``https``,
and in the form :func:`sentinelle.crawl.normalize.normalize_url` gives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class Placement(StrEnum):
    """How a page refers to a piece of media (the first way it was found on the page)."""

    IMG_SRC = "img_src"  #: <img src>, <img lowsrc>, <image src>
    SRCSET = "srcset"  #: <img srcset>
    PICTURE_SOURCE = "picture_source"  #: <picture><source srcset|src>
    LAZY_ATTR = "lazy_attr"  #: a known lazy-loading attribute (data-src, data-srcset...)
    DATA_ATTRIBUTE = "data_attribute"  #: any other data-* attribute holding a media URL
    NOSCRIPT = "noscript"  #: anything inside <noscript>
    SRCDOC = "srcdoc"  #: anything inside an <iframe srcdoc> document
    INLINE_STYLE = "inline_style"  #: url() in a style="" attribute
    STYLE_ELEMENT = "style_element"  #: url() in a <style> element
    STYLESHEET = "stylesheet"  #: url() in a linked stylesheet (extract_css)
    A_HREF_MEDIA = "a_href_media"  #: <a href> / <area href> to a media file
    OG_IMAGE = "og_image"  #: <meta property="og:image" | og:image:url | og:image:secure_url>
    TWITTER_IMAGE = "twitter_image"  #: <meta name="twitter:image" | twitter:image:src>
    META_IMAGE = "meta_image"  #: itemprop=image, name=thumbnail, <link rel=image_src>...
    VIDEO_POSTER = "video_poster"  #: <video poster>
    VIDEO_SRC = "video_src"  #: <video src>, <video><source src>
    PRELOAD = "preload"  #: <link rel=preload|prefetch as=image href|imagesrcset>
    ICON = "icon"  #: <link rel=icon | apple-touch-icon...>
    INPUT_IMAGE = "input_image"  #: <input type=image src>
    OBJECT_DATA = "object_data"  #: <object data>
    EMBED_SRC = "embed_src"  #: <embed src>
    SVG_IMAGE = "svg_image"  #: SVG <image href|xlink:href>, <feImage href>
    BACKGROUND_ATTR = "background_attr"  #: <body|table|td|th|tr background>
    IFRAME = "iframe"  #: <iframe|frame src="data:image/..."> (other frames are pages)


class Skip(StrEnum):
    """Why a reference was left out (keys of :attr:`Extraction.skipped`).

    Unsupported schemes count as ``scheme:<name>`` for common ones (``scheme:javascript``,
    ``scheme:mailto``...) and ``scheme:other`` for the rest.
    """

    EMPTY = "empty"  #: nothing but whitespace
    FRAGMENT_ONLY = "fragment_only"  #: "#top", url(#filter): the document itself
    DUPLICATE = "duplicate"  #: already found on this page (the first placement is kept)
    INVALID_URL = "invalid_url"  #: refused by normalize_url (no host, bad port, control chars)
    URL_TOO_LONG = "url_too_long"  #: longer than normalize.MAX_URL_LENGTH
    BASE_INVALID = "base_href_invalid"  #: a <base href> that is not http(s): the page URL is used
    FONT = "css_font"  #: url() of a font (@font-face, .woff2...)
    CSS_BAD_URL = "css_bad_url"  #: an unquoted url() CSS itself throws away
    DATA_MALFORMED = "data_uri_malformed"  #: no comma
    DATA_BAD_BASE64 = "data_uri_bad_base64"
    DATA_TOO_LARGE = "data_uri_too_large"  #: over max_data_bytes, or past max_data_total
    DATA_EMPTY = "data_uri_empty"  #: decodes to no bytes
    DATA_NOT_MEDIA = "data_uri_not_media"  #: a data: link or frame that is not image/video
    CAP_MEDIA = "cap_media"
    CAP_DATA = "cap_data_media"
    CAP_LINKS = "cap_links"
    CAP_FRAMES = "cap_frames"
    CAP_STYLESHEETS = "cap_stylesheets"
    CAP_NESTED = "cap_nested_documents"  #: srcdoc documents over the limit
    ATTRIBUTES_DROPPED = "markup_attributes_dropped"  #: attributes past max_attributes
    MARKUP_TRUNCATED = "markup_truncated"  #: input left unparsed after max_segments


@dataclass(frozen=True, slots=True)
class MediaRef:
    """One media URL to fetch, and where it was first found (``detail``: ``img[data-src]``)."""

    url: str
    placement: Placement
    detail: str = ""


@dataclass(frozen=True, slots=True)
class DataMedia:
    """Bytes decoded from a ``data:`` URI, with the media type the URI declares."""

    media_type: str
    data: bytes
    placement: Placement
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """A page to follow: ``<a href>``, ``<area href>``, ``<link rel=next|prev>``, meta refresh."""

    url: str
    rel: frozenset[str] = frozenset()
    detail: str = "a[href]"

    @property
    def nofollow(self) -> bool:
        return "nofollow" in self.rel


@dataclass(frozen=True)
class ExtractLimits:
    """Caps per page (the page's own size is the caller's concern)."""

    max_media: int = 5_000
    max_links: int = 5_000
    max_frames: int = 100
    max_stylesheets: int = 100
    #: data: URIs kept per page, the decoded size of one, and of all of them together.
    max_data_media: int = 500
    max_data_bytes: int = 16 * 1024 * 1024
    max_data_total: int = 64 * 1024 * 1024
    #: <iframe srcdoc> documents parsed per page, and how deep they may nest.
    max_nested_documents: int = 20
    max_nested_depth: int = 3
    #: Attributes kept per start tag (lxml takes quadratic time in their number).
    max_attributes: int = 512
    #: Parser restarts after libxml2's depth limit (2,048 open elements).
    max_segments: int = 2_000


DEFAULT_LIMITS = ExtractLimits()


@dataclass
class Extraction:
    """Everything one document refers to. ``skipped`` counts what was left out, by reason."""

    base_url: str
    encoding: str
    media: list[MediaRef] = field(default_factory=list)
    data_media: list[DataMedia] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    #: Tokens of <meta name=robots content>: ``noindex``, ``nofollow``...
    robots: frozenset[str] = frozenset()
    skipped: Counter[str] = field(default_factory=Counter)
    #: Parser passes: 1, or more when the markup nests deeper than libxml2 goes.
    segments: int = 1

    @property
    def media_urls(self) -> list[str]:
        return [ref.url for ref in self.media]
