"""Where references found in a document end up: resolved, de-duplicated, capped, counted.

The walkers (:mod:`.html_walk`, :func:`.extract.extract_css`) hand every reference as
written to a :class:`Collector`; it resolves it against the document's base, keeps the
first placement of each URL, routes ``data:`` URIs to decoded :class:`DataMedia`, and
counts in ``skipped`` everything it leaves out, by reason. Once a cap is reached, every
further reference of that kind counts as over the cap (duplicates included: telling
them apart would cost the work the cap is there to bound).
"""

from __future__ import annotations

from sentinelle.crawl.datauri import DataUriError, decode_data_uri, is_data_uri, media_type_of
from sentinelle.crawl.media_hints import has_media_extension, may_be_media
from sentinelle.crawl.references import (
    DataMedia,
    Extraction,
    ExtractLimits,
    Link,
    MediaRef,
    Placement,
    Skip,
)
from sentinelle.crawl.resolve import Unresolvable, clean, resolve

#: Declared types of data: URIs worth keeping from a link or frame.
_MEDIA_TYPE_PREFIXES = ("image/", "video/")
#: Resolutions remembered per page (pages repeat the same references a lot).
_MEMO_SIZE = 50_000


class Collector:
    """Fills one :class:`Extraction`."""

    def __init__(self, extraction: Extraction, limits: ExtractLimits, *,
                 encoding: str = "utf-8") -> None:
        self.result = extraction
        self.limits = limits
        self.encoding = encoding
        self.skipped = extraction.skipped
        self._media: set[str] = set()
        self._links: set[str] = set()
        self._frames: set[str] = set()
        self._sheets: set[str] = set()
        self._data: set[str] = set()
        self._data_total = 0
        self._memo: dict[tuple[str, str, str], str | Unresolvable] = {}

    def _url(self, raw: str, base: str, encoding: str | None = None) -> str | None:
        key = (raw, base, encoding or self.encoding)
        found = self._memo.get(key)
        if found is None:
            try:
                found = resolve(raw, base, encoding=key[2])
            except Unresolvable as problem:
                found = problem
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = found
        if isinstance(found, Unresolvable):
            self.skipped[found.reason] += 1
            return None
        return found

    def media(self, raw: str, placement: Placement, detail: str, base: str, *,
              encoding: str | None = None) -> None:
        reference = clean(raw)
        if is_data_uri(reference):
            self.data(reference, placement, detail)
            return
        if len(self.result.media) >= self.limits.max_media:
            self.skipped[Skip.CAP_MEDIA] += 1
            return
        url = self._url(reference, base, encoding)
        if url is not None:
            self._add_media(url, placement, detail)

    def _add_media(self, url: str, placement: Placement, detail: str) -> None:
        if url in self._media:
            self.skipped[Skip.DUPLICATE] += 1
        elif len(self.result.media) >= self.limits.max_media:
            self.skipped[Skip.CAP_MEDIA] += 1
        else:
            self._media.add(url)
            self.result.media.append(MediaRef(url, placement, detail))

    def data(self, reference: str, placement: Placement, detail: str) -> None:
        if reference in self._data:
            self.skipped[Skip.DUPLICATE] += 1
            return
        if len(self.result.data_media) >= self.limits.max_data_media:
            self.skipped[Skip.CAP_DATA] += 1
            return
        self._data.add(reference)
        room = min(self.limits.max_data_bytes, self.limits.max_data_total - self._data_total)
        try:
            decoded = decode_data_uri(reference, max_bytes=max(room, 0))
        except DataUriError as problem:
            self.skipped[problem.reason] += 1
            return
        self._data_total += len(decoded.data)
        self.result.data_media.append(
            DataMedia(decoded.media_type, decoded.data, placement, detail))

    def anchor(self, raw: str, base: str, *, rel: frozenset[str], detail: str,
               media: bool = False, placement: Placement = Placement.A_HREF_MEDIA) -> None:
        """An <a href>: media when its path has a media extension (or ``media``), else a link."""
        reference = clean(raw)
        if is_data_uri(reference):
            self._data_link(reference, Placement.A_HREF_MEDIA, detail)
            return
        full = len(self.result.links) >= self.limits.max_links
        if full and (len(self.result.media) >= self.limits.max_media
                     or not (media or may_be_media(reference))):
            self.skipped[Skip.CAP_LINKS] += 1
            return
        url = self._url(reference, base)
        if url is None:
            return
        if media or has_media_extension(url):
            self._add_media(url, placement, detail)
        elif full:
            self.skipped[Skip.CAP_LINKS] += 1
        else:
            self._add_link(url, rel, detail)

    def link(self, raw: str, base: str, *, rel: frozenset[str] = frozenset(),
             detail: str = "a[href]") -> None:
        reference = clean(raw)
        if is_data_uri(reference):
            self.skipped[Skip.DATA_NOT_MEDIA] += 1
            return
        if len(self.result.links) >= self.limits.max_links:
            self.skipped[Skip.CAP_LINKS] += 1
            return
        url = self._url(reference, base)
        if url is not None:
            self._add_link(url, rel, detail)

    def _add_link(self, url: str, rel: frozenset[str], detail: str) -> None:
        if url in self._links:
            self.skipped[Skip.DUPLICATE] += 1
            return
        self._links.add(url)
        self.result.links.append(Link(url, rel, detail))

    def frame(self, raw: str, base: str, detail: str = "iframe[src]") -> None:
        reference = clean(raw)
        if is_data_uri(reference):
            self._data_link(reference, Placement.IFRAME, detail)
            return
        self._page(reference, base, self.result.frames, self._frames,
                   self.limits.max_frames, Skip.CAP_FRAMES)

    def stylesheet(self, raw: str, base: str, *, encoding: str | None = None) -> None:
        reference = clean(raw)
        if is_data_uri(reference):
            self.skipped[Skip.DATA_NOT_MEDIA] += 1
            return
        self._page(reference, base, self.result.stylesheets, self._sheets,
                   self.limits.max_stylesheets, Skip.CAP_STYLESHEETS, encoding)

    def _page(self, reference: str, base: str, found: list[str], seen: set[str], cap: int,
              over: Skip, encoding: str | None = None) -> None:
        if len(found) >= cap:
            self.skipped[over] += 1
            return
        url = self._url(reference, base, encoding)
        if url is None:
            return
        if url in seen:
            self.skipped[Skip.DUPLICATE] += 1
            return
        seen.add(url)
        found.append(url)

    def _data_link(self, reference: str, placement: Placement, detail: str) -> None:
        """A data: URI in a link or a frame: kept only when it declares an image or video."""
        if media_type_of(reference).startswith(_MEDIA_TYPE_PREFIXES):
            self.data(reference, placement, detail)
        else:
            self.skipped[Skip.DATA_NOT_MEDIA] += 1
