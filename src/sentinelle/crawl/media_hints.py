"""How to tell a media reference in markup: lazy-loading attributes and file extensions.

Lazy-loading scripts keep the real image URL in a ``data-*`` attribute and show a
placeholder until the picture scrolls into view; a crawler that runs no script must read
those attributes itself. The lists cover what the sandbox uses and the common libraries
(lazysizes and its bgset/unveilhooks plugins, lozad, vanilla-lazyload, jQuery lazyload,
echo.js, blazy, Layzr, WordPress/Jetpack and WooCommerce, Magnific Popup, Flickity,
elevateZoom, Pinterest, retina.js). docs/crawl.md lists them.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

#: data-* attributes whose value is one URL (or a CSS ``url()``).
LAZY_URL_ATTRIBUTES: Final = frozenset({
    "data-src", "data-original", "data-original-src", "data-lazy-src", "data-lazy",
    "data-lazyload", "data-lazy-load", "data-defer-src", "data-echo", "data-normal",
    "data-bg", "data-bg-src", "data-bg-image", "data-background", "data-background-image",
    "data-lazy-background", "data-hi-res-src", "data-hires", "data-highres", "data-retina",
    "data-src-retina", "data-at2x", "data-2x", "data-full", "data-full-src", "data-fullsrc",
    "data-large", "data-large-src", "data-large_image", "data-large-file", "data-medium-file",
    "data-orig-file", "data-img", "data-img-src", "data-image", "data-image-src", "data-thumb",
    "data-thumbnail", "data-zoom-image", "data-zoom-src", "data-poster", "data-pin-media",
    "data-mfp-src", "data-flickity-lazyload", "data-iesrc",
})
#: data-* attributes written like ``srcset`` (data-bgset: several sets joined by ``|``).
LAZY_SRCSET_ATTRIBUTES: Final = frozenset({
    "data-srcset", "data-lazy-srcset", "data-original-set", "data-original-srcset",
    "data-bgset", "data-flickity-lazyload-srcset",
})
IMAGE_EXTENSIONS: Final = frozenset({
    "jpg", "jpeg", "jpe", "jfif", "pjpeg", "pjp", "png", "apng", "gif", "webp", "avif", "bmp",
    "dib", "tif", "tiff", "heic", "heif", "jxl", "ico", "svg", "svgz",
})
VIDEO_EXTENSIONS: Final = frozenset({
    "mp4", "m4v", "webm", "mov", "avi", "mkv", "wmv", "flv", "mpg", "mpeg", "3gp", "ogv",
})
MEDIA_EXTENSIONS: Final = IMAGE_EXTENSIONS | VIDEO_EXTENSIONS
FONT_EXTENSIONS: Final = frozenset({"woff", "woff2", "ttf", "otf", "eot"})
_FONT_TYPES: Final = ("font/", "application/font", "application/x-font", "application/vnd.ms-font")


def extension(path: str) -> str:
    """The lowercase extension of the last segment of a URL path ('' if none)."""
    last = path.rpartition("/")[2]
    return last.rpartition(".")[2].lower() if "." in last else ""


def has_media_extension(url: str) -> bool:
    """True for an absolute URL whose path names an image or video file."""
    return extension(urlsplit(url).path) in MEDIA_EXTENSIONS


def may_be_media(reference: str) -> bool:
    """False when a reference, as written, certainly resolves to no media path."""
    path = reference.partition("#")[0].partition("?")[0]
    return not path or extension(path) in MEDIA_EXTENSIONS


def written_media_path(value: str) -> bool:
    """True when ``value``, as written, looks like one URL of a media file (no spaces)."""
    if not value or len(value) > 2048 or any(c in value for c in " \t\n\f\r<>\"'"):
        return False
    path = value.partition("#")[0].partition("?")[0]
    return extension(path) in MEDIA_EXTENSIONS


def is_font(value: str) -> bool:
    """A CSS url() value naming a font (by extension, or a data: URI of a font type)."""
    if value[:5].lower() == "data:":
        return value[5:].lstrip().lower().startswith(_FONT_TYPES)
    path = value.partition("#")[0].partition("?")[0]
    return extension(path) in FONT_EXTENSIONS
