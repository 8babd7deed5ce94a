"""One pass over a parsed HTML document, handing every reference to the collector.

Elements are visited in document order with a handler per tag; every element is also
checked for a ``style`` attribute, lazy-loading and other media-bearing ``data-*``
attributes and the old ``background`` attribute. Anything inside ``<noscript>`` counts
as :attr:`Placement.NOSCRIPT`, anything inside an ``<iframe srcdoc>`` document (parsed
like the page, a few levels deep at most) as :attr:`Placement.SRCDOC`; ``detail`` still
says which element and attribute held it (``noscript > img[src]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sentinelle.crawl.collector import Collector
from sentinelle.crawl.css_urls import CssRole, css_references, may_refer
from sentinelle.crawl.html_elements import HANDLERS
from sentinelle.crawl.html_tree import Node, ParseReport, elements, parse_html
from sentinelle.crawl.media_hints import (
    LAZY_SRCSET_ATTRIBUTES,
    LAZY_URL_ATTRIBUTES,
    is_font,
    written_media_path,
)
from sentinelle.crawl.references import Placement, Skip
from sentinelle.crawl.resolve import Unresolvable, clean, resolve
from sentinelle.crawl.srcset import parse_srcset


@dataclass
class Nesting:
    """What every document of one page shares: how many srcdoc documents were parsed."""

    documents: int = 0
    reports: list[ParseReport] = field(default_factory=list)


class HtmlWalker:
    """Walks the trees of one document (the page, or an srcdoc document inside it)."""

    def __init__(self, collector: Collector, base: str, *, depth: int = 0,
                 nesting: Nesting | None = None, context: Placement | None = None) -> None:
        self.collector = collector
        self.base = base
        self.depth = depth
        self.nesting = nesting or Nesting()
        self.context = context
        self.noscript = False
        self._base_found = False

    # -- documents -------------------------------------------------------------------------

    def walk_text(self, text: str) -> ParseReport:
        limits = self.collector.limits
        report = ParseReport()
        self.nesting.reports.append(report)
        for root in parse_html(text, max_attributes=limits.max_attributes,
                               max_segments=limits.max_segments, report=report):
            self.walk(root)
        return report

    def walk(self, root: Node) -> None:
        if not self._base_found:
            self._find_base(root)
        hidden = _inside_noscript(root)
        for element in elements(root):
            tag = element.tag
            handler = HANDLERS.get(tag)  # type: ignore[call-overload]
            items = element.items()
            if handler is None and not items:
                continue
            self.noscript = bool(hidden) and element in hidden
            if handler is not None:
                handler(self, element)
            if items and isinstance(tag, str):
                self._any_element(tag, items)

    def _find_base(self, root: Node) -> None:
        """The first <base href> sets the base for the document (resolved against its URL)."""
        for element in root.iter("base"):
            href = element.get("href")
            if href is None:
                continue
            self._base_found = True
            try:
                self.base = resolve(clean(href), self.base)
            except Unresolvable:
                self.collector.skipped[Skip.BASE_INVALID] += 1
            return

    # -- references ------------------------------------------------------------------------

    def media(self, raw: str | None, placement: Placement, detail: str) -> None:
        if raw is None:
            return
        if self.context is not None:
            placement, detail = self.context, f"{self.context} > {detail}"
        elif self.noscript:
            placement, detail = Placement.NOSCRIPT, f"noscript > {detail}"
        self.collector.media(raw, placement, detail, self.base)

    def srcset(self, value: str | None, placement: Placement, detail: str) -> None:
        if not value:
            return
        for part in value.split("|") if "|" in value else (value,):
            for candidate in parse_srcset(part):
                self.media(candidate.url, placement, detail)

    def css(self, text: str | None, placement: Placement, detail: str) -> None:
        if not text or not may_refer(text):
            return
        skipped = self.collector.skipped
        for ref in css_references(text):
            if ref.role is CssRole.IMPORT:
                self.collector.stylesheet(ref.value, self.base)
            elif ref.role is CssRole.FONT or (ref.role is CssRole.MEDIA and is_font(ref.value)):
                skipped[Skip.FONT] += 1
            elif ref.role is CssRole.BAD:
                skipped[Skip.CSS_BAD_URL] += 1
            else:
                self.media(ref.value, placement, detail)

    def _any_element(self, tag: str, items: list[tuple[str, str]]) -> None:
        for name, value in items:
            if name == "style":
                self.css(value, Placement.INLINE_STYLE, f"{tag}[style]")
            elif name == "background":
                self.media(value, Placement.BACKGROUND_ATTR, f"{tag}[background]")
            elif not name.startswith("data-"):
                continue
            elif name in LAZY_URL_ATTRIBUTES:
                if "url(" in value.lower():
                    self.css(value, Placement.LAZY_ATTR, f"{tag}[{name}]")
                else:
                    self.media(value, Placement.LAZY_ATTR, f"{tag}[{name}]")
            elif name in LAZY_SRCSET_ATTRIBUTES:
                self.srcset(value, Placement.LAZY_ATTR, f"{tag}[{name}]")
            elif written_media_path(value.strip()):
                self.media(value, Placement.DATA_ATTRIBUTE, f"{tag}[{name}]")

    def srcdoc(self, document: str) -> None:
        limits = self.collector.limits
        if self.depth >= limits.max_nested_depth \
                or self.nesting.documents >= limits.max_nested_documents:
            self.collector.skipped[Skip.CAP_NESTED] += 1
            return
        self.nesting.documents += 1
        inner = HtmlWalker(self.collector, self.base, depth=self.depth + 1,
                           nesting=self.nesting, context=Placement.SRCDOC)
        inner.walk_text(document)


def _inside_noscript(root: Node) -> set[Node]:
    """Every element inside a <noscript> (each marked once: outer ones come first)."""
    hidden: set[Node] = set()
    for noscript in root.iter("noscript"):
        if noscript not in hidden:
            hidden.update(elements(noscript))
            hidden.discard(noscript)
    return hidden
