"""Reading what arrives: a page, a stylesheet or a frame, into media requests and items.

The extraction itself (every place a browser finds an image) is :mod:`.extract`'s. Here:

* a page's type is sniffed from its bytes: media (a seed or a followed link that is an
  image) is hashed like any media; text is read as HTML; anything else is dropped
  (``dropped/not-html``);
* media references become media requests (one fetch per URL per crawl, see
  :meth:`.Coordinator.reference`); ``data:`` media are hashed from the page itself and
  recorded with the page's URL as their URL;
* stylesheets and frames are fetched and read the same way, their media counted on the
  page that holds them (``--frame-depth`` bounds nesting); their links are not followed;
* the page's links are kept until the page is finished.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from sentinelle.crawl.coordinator import Coordinator
from sentinelle.crawl.extract import Extraction, extract, extract_stylesheet
from sentinelle.crawl.items import MediaItem
from sentinelle.crawl.normalize import normalize_url
from sentinelle.crawl.visits import MediaFetch, Use, Visit
from sentinelle.sightings.sniff import sniff_mime

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

Output = list["Request | MediaItem"]

#: Sniffed types read as HTML (a page starting with a comment sniffs as text/plain).
TEXT_TYPES: Final = frozenset({"text/html", "text/plain", "text/xml"})
STYLESHEET: Final = "stylesheet"
FRAME: Final = "frame"


def is_media(mime: str) -> bool:
    return mime.startswith(("image/", "video/", "audio/"))


def now() -> datetime:
    return datetime.now(UTC)


def media_item(fetch: MediaFetch, response: Response) -> MediaItem:
    address = getattr(response, "ip_address", None)
    return MediaItem(
        fetch=fetch,
        data=response.body,
        url=response.url,
        status=response.status,
        ip=str(address) if address is not None else None,
        seen_at=now(),
    )


def page_arrived(coordinator: Coordinator, visit: Visit, response: Response) -> Output:
    visit.final_url = response.url
    visit.status = response.status
    visit.crawl.frontier.also_seen(response.url)
    coordinator.stats.inc_value("pages/fetched")
    coordinator.stats.inc_value("pages/bytes", len(response.body))
    coordinator.record_visit(visit, seen_at=now())
    try:
        mime = sniff_mime(response.body[:1024])
        if is_media(mime):
            return _page_is_media(coordinator, visit, response)
        if mime in TEXT_TYPES:
            return _read(coordinator, visit, response, frames=0, page=True)
        coordinator.stats.inc_value("dropped/not-html")
        return []
    finally:
        coordinator.release(visit)


def _page_is_media(coordinator: Coordinator, visit: Visit, response: Response) -> Output:
    """A seed or a followed link answered with media: a sighting on the linking page (on no
    page for a seed)."""
    use = Use(visit, visit.referrer)
    key = normalize_url(visit.url).key
    fetch = visit.crawl.media.get(key)
    fetch = fetch.current() if fetch is not None else None
    if fetch is not None and (fetch.outcome is not None or fetch.failed is not None):
        if fetch.failed is None:
            coordinator.join(fetch, use)
        return []
    if fetch is None:
        fetch = visit.crawl.media[key] = MediaFetch(visit.crawl, visit.url)
    fetch.uses.append(use)
    coordinator.hold(visit)
    coordinator.stats.inc_value("media/fetched")
    coordinator.stats.inc_value("media/bytes", len(response.body))
    return [media_item(fetch, response)]


def document_arrived(
    coordinator: Coordinator, visit: Visit, response: Response, kind: str, frames: int
) -> Output:
    try:
        if kind == STYLESHEET:
            return _read_stylesheet(coordinator, visit, response, frames)
        return _read(coordinator, visit, response, frames=frames, page=False)
    finally:
        coordinator.release(visit)


def _content_type(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if isinstance(value, bytes) else None


def _read(
    coordinator: Coordinator, visit: Visit, response: Response, *, frames: int, page: bool
) -> Output:
    found = extract(response.body, response.url, content_type=_content_type(response))
    _count_skipped(coordinator, found)
    out: Output = []
    out += _references(coordinator, visit, (ref.url for ref in found.media))
    out += [_inline(coordinator, visit, data.data) for data in found.data_media]
    for sheet in found.stylesheets:
        out.append(_document(coordinator, visit, sheet, STYLESHEET, frames))
    if frames < coordinator.options.frame_depth:
        for frame in found.frames:
            out.append(_document(coordinator, visit, frame, FRAME, frames + 1))
    elif found.frames:
        coordinator.stats.inc_value("dropped/frame-depth", len(found.frames))
    if page:
        visit.links = list(dict.fromkeys(link.url for link in found.links))
    return out


def _read_stylesheet(
    coordinator: Coordinator, visit: Visit, response: Response, frames: int
) -> Output:
    found = extract_stylesheet(response.body, response.url, content_type=_content_type(response))
    _count_skipped(coordinator, found)
    out: Output = list(_references(coordinator, visit, (ref.url for ref in found.media)))
    out += [_inline(coordinator, visit, data.data) for data in found.data_media]
    if frames < coordinator.options.frame_depth:
        for sheet in found.stylesheets:
            out.append(_document(coordinator, visit, sheet, STYLESHEET, frames + 1))
    return out


def _count_skipped(coordinator: Coordinator, found: Extraction) -> None:
    for reason, count in found.skipped.items():
        coordinator.stats.inc_value(f"extract/skipped/{reason}", count)


def _references(coordinator: Coordinator, visit: Visit, urls: Iterable[str]) -> Output:
    out: Output = []
    for url in urls:
        request = coordinator.reference(visit, url, visit.page_url)
        if request is not None:
            out.append(request)
    return out


def _document(coordinator: Coordinator, visit: Visit, url: str, kind: str, frames: int) -> Request:
    coordinator.hold(visit)
    coordinator.stats.inc_value(f"documents/{kind}")
    return coordinator.requests.document(visit, url, kind, frames)


def _inline(coordinator: Coordinator, visit: Visit, data: bytes) -> MediaItem:
    """A ``data:`` image: hashed from the page, recorded with the page's URL."""
    fetch = MediaFetch(visit.crawl, visit.page_url)
    fetch.uses.append(Use(visit, visit.page_url))
    coordinator.hold(visit)
    coordinator.stats.inc_value("media/inline")
    return MediaItem(fetch, data, visit.page_url, visit.status or 200, None, now())
