"""Names of every way the sandbox places an image, and of every hostile case.

The values are stable words: they appear in the ground-truth manifest, in page
paths and in the docs (``docs/sandbox.md`` has an example URL for each).
"""

from __future__ import annotations

from enum import StrEnum


class Construct(StrEnum):
    """How a page refers to an image (the ``construct`` of a placement)."""

    IMG_SRC = "img-src"  #: <img src>, written root-relative, relative, absolute...
    SRCSET = "srcset"  #: <img srcset> with density (1x, 2x) or width (320w) descriptors
    PICTURE = "picture-source"  #: <picture><source srcset type><img src></picture>
    LAZY = "lazy-attribute"  #: data-src, data-srcset, data-original, data-lazy-src...
    NOSCRIPT = "noscript"  #: <img> inside <noscript>
    INLINE_STYLE = "inline-style"  #: style="background-image: url(...)"
    STYLE_ELEMENT = "style-element"  #: url() in a <style> element
    STYLESHEET = "stylesheet"  #: url() in a linked stylesheet, relative to the stylesheet
    LINK_HREF = "link-href"  #: <a href> straight to the image
    OG_IMAGE = "og-image"  #: <meta property="og:image">
    TWITTER_IMAGE = "twitter-image"  #: <meta name="twitter:image">
    VIDEO_POSTER = "video-poster"  #: <video poster>
    PRELOAD = "preload"  #: <link rel="preload" as="image">
    DATA_URI = "data-uri"  #: <img src="data:image/...;base64,...">
    BASE_HREF = "base-href"  #: relative <img src> resolved against <base href>
    IFRAME = "iframe"  #: <img> in a document shown in an <iframe>
    REDIRECT = "redirect"  #: <img src> that answers 301/302/307/308, alone or chained
    NO_EXTENSION = "no-extension"  #: an image URL without a file extension
    WRONG_TYPE = "wrong-content-type"  #: an image served as text/plain, text/html...
    QUERY_STRING = "query-string"  #: /show.php?id=..., or a cache-busting ?v=
    PAGE_REDIRECT = "page-redirect"  #: an image on a page reached through a redirect
    PAGINATION = "pagination"  #: numbered listing pages, each with a rel=next link
    GALLERY = "gallery"  #: an index of thumbnails, each linking to a full-size page


class HostileCase(StrEnum):
    """Things a crawler must survive, each at a known URL on the trap site."""

    LINK_MAZE = "link-maze"  #: every page links to new generated pages, forever
    CALENDAR_TRAP = "calendar-trap"  #: next-month and previous-month links, forever
    HUGE_FILE = "huge-file"  #: a declared and streamed 2 GiB "JPEG"
    SLOW_DRIP = "slow-drip"  #: a real image sent one byte at a time
    DECOMPRESSION_BOMB = "decompression-bomb"  #: a small PNG declaring 50,000 x 50,000 pixels
    GZIP_BOMB = "gzip-bomb"  #: an HTML page that inflates from ~1 MB to 1 GiB (Content-Encoding)
    TRUNCATED_FILE = "truncated-file"  #: half a JPEG, honestly declared as such
    TRUNCATED_TRANSFER = "truncated-transfer"  #: Content-Length of a whole JPEG, half sent
    REDIRECT_LOOP = "redirect-loop"  #: /loop/a -> /loop/b -> /loop/a
    SELF_REDIRECT = "self-redirect"  #: a URL that redirects to itself
    ENDLESS_REDIRECTS = "endless-redirects"  #: /chain/1 -> /chain/2 -> ... forever
    ENORMOUS_HTML = "enormous-html"  #: a 50 MB HTML page, streamed
