"""Extraction: from a fetched page, every media reference a browser would load, and links.

    found = extract(response.body, response.url, content_type=response.headers["Content-Type"])
    found.media        # [MediaRef(url, placement, detail)], absolute, normalised, first wins
    found.data_media   # bytes decoded from data: URIs
    found.stylesheets  # fetch each, then extract_stylesheet(body, url).media
    found.frames       # iframe/frame pages to fetch and extract in turn
    found.links        # pages to follow (with their rel: nofollow...)
    found.skipped      # Counter of what was left out, by reason

Pure functions: no network, no Django, no Scrapy; safe on hostile input (see
docs/crawl.md for the placements, the rules and the caps).
"""

from __future__ import annotations

from collections import Counter

from sentinelle.crawl.charset import decode_css, decode_html
from sentinelle.crawl.collector import Collector
from sentinelle.crawl.css_urls import CssRole, css_references
from sentinelle.crawl.html_walk import HtmlWalker, Nesting
from sentinelle.crawl.media_hints import is_font
from sentinelle.crawl.references import (
    DEFAULT_LIMITS,
    DataMedia,
    Extraction,
    ExtractLimits,
    Link,
    MediaRef,
    Placement,
    Skip,
)

__all__ = [
    "DEFAULT_LIMITS",
    "DataMedia",
    "ExtractLimits",
    "Extraction",
    "Link",
    "MediaRef",
    "Placement",
    "Skip",
    "extract",
    "extract_css",
    "extract_stylesheet",
]


def extract(html: bytes | str, base_url: str, *, content_type: str | None = None,
            encoding: str | None = None, limits: ExtractLimits = DEFAULT_LIMITS) -> Extraction:
    """Everything ``html`` (a page fetched from ``base_url``) refers to.

    ``content_type`` is the response's Content-Type header (for its charset); ``encoding``
    overrides it when the caller knows better (a BOM still wins). ``base_url`` should be
    the URL the page was finally fetched from, after redirects.
    """
    text, used = decode_html(html, content_type=content_type, encoding=encoding)
    result = Extraction(base_url=base_url, encoding=used)
    collector = Collector(result, limits, encoding=used)
    nesting = Nesting()
    walker = HtmlWalker(collector, base_url, nesting=nesting)
    walker.walk_text(text)
    result.base_url = walker.base
    result.segments = nesting.reports[0].segments
    _count_parsing(result.skipped, nesting)
    return result


def extract_stylesheet(css: bytes | str, base_url: str, *, content_type: str | None = None,
                       referrer_encoding: str | None = None,
                       limits: ExtractLimits = DEFAULT_LIMITS) -> Extraction:
    """What a stylesheet fetched from ``base_url`` refers to: ``media`` (placement
    :attr:`Placement.STYLESHEET`), ``data_media``, and ``stylesheets`` it @imports."""
    text, used = decode_css(css, content_type=content_type, referrer_encoding=referrer_encoding)
    result = Extraction(base_url=base_url, encoding=used)
    collector = Collector(result, limits)
    for ref in css_references(text):
        if ref.role is CssRole.IMPORT:
            collector.stylesheet(ref.value, base_url)
        elif ref.role is CssRole.FONT or (ref.role is CssRole.MEDIA and is_font(ref.value)):
            result.skipped[Skip.FONT] += 1
        elif ref.role is CssRole.BAD:
            result.skipped[Skip.CSS_BAD_URL] += 1
        else:
            collector.media(ref.value, Placement.STYLESHEET, "url()", base_url)
    return result


def extract_css(css: bytes | str, base_url: str, *,
                limits: ExtractLimits = DEFAULT_LIMITS) -> list[MediaRef]:
    """The media URLs of a stylesheet fetched from ``base_url`` (relative URLs resolve
    against the stylesheet, not the page). :func:`extract_stylesheet` gives the rest."""
    return extract_stylesheet(css, base_url, limits=limits).media


def _count_parsing(skipped: Counter[str], nesting: Nesting) -> None:
    for report in nesting.reports:
        if report.attributes_dropped:
            skipped[Skip.ATTRIBUTES_DROPPED] += report.attributes_dropped
        if report.truncated:
            skipped[Skip.MARKUP_TRUNCATED] += 1
