"""HTML text to lxml trees, all of it, even past libxml2's nesting limit.

libxml2 stops parsing, silently, at the 2,049th open element (with or without
``huge_tree``); a browser keeps going (Blink flattens the tree past 512 levels), so a page
could hide images behind a few kilobytes of ``<div>``. When that happens the rest of the
document is parsed as further segments: each restarts at depth 0 shortly before the
element where the previous one stopped, found by probing prefixes of doubling then
halving size (a few parses of some kilobytes per segment). Elements near a restart may
be seen twice; the collector keeps each URL once. At most ``max_segments`` segments are
parsed; what remains after is counted as truncated.

The text first goes through :func:`~.markup_guard.limit_attributes`. Comments and
processing instructions are dropped, no network access, no DTD, no entity expansion
beyond HTML's named character references.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Protocol, cast

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from sentinelle.crawl.markup_guard import limit_attributes

#: First prefix probed after a stop, and how close the search gets to the stopping point.
_FIRST_PROBE: Final = 8 * 1024
#: 1 KB holds under 2,048 tags (342 at most), so a restart this close always gets further.
_PRECISION: Final = 1024
_HALTED: Final = "ERR_RESOURCE_LIMIT"


class Node(Protocol):
    """The part of lxml's element interface extraction uses (lxml ships no type hints)."""

    @property
    def tag(self) -> object: ...  # a str, or a function for comments and entities
    @property
    def text(self) -> str | None: ...
    @property
    def attrib(self) -> dict[str, str]: ...
    def get(self, key: str) -> str | None: ...
    def items(self) -> list[tuple[str, str]]: ...
    def getparent(self) -> Node | None: ...
    def iter(self, tag: str = ...) -> Iterator[Node]: ...


def elements(root: Node) -> Iterator[Node]:
    """``root`` and every element under it, in document order. (lxml's ``iter()`` takes
    time in the depth at each step, quadratic on deep trees; ``iterwalk`` does not.)"""
    return (element for _, element in etree.iterwalk(root, events=("start",)))


@dataclass
class ParseReport:
    segments: int = 0
    attributes_dropped: int = 0
    truncated: bool = False


def _parser() -> object:
    return etree.HTMLParser(
        encoding="utf-8", recover=True, huge_tree=True, no_network=True, collect_ids=False,
        remove_comments=True, remove_pis=True, remove_blank_text=False,
    )


def _parse(data: bytes) -> tuple[Node | None, bool]:
    """(root or None if there is no element, whether libxml2 stopped before the end)."""
    parser = _parser()
    try:
        root = cast(Node | None, etree.fromstring(data, parser))
    except etree.XMLSyntaxError:  # pragma: no cover - recover=True does not raise in practice
        return None, False
    last = parser.error_log.last_error  # type: ignore[attr-defined]
    return root, last is not None and last.type_name == _HALTED


def parse_html(text: str, *, max_attributes: int, max_segments: int,
               report: ParseReport) -> Iterator[Node]:
    """The trees of ``text``, in document order: one, or more when the markup nests too deep."""
    guarded, report.attributes_dropped = limit_attributes(text, max_attributes)
    data = guarded.encode("utf-8", "replace")
    if not data.strip():
        return
    root, halted = _parse(data)
    report.segments = 1
    if root is not None:
        yield root
    start = 0
    while halted:
        if report.segments >= max_segments:
            report.truncated = True
            return
        _, _, good, stopped = _probe(data, start)
        start = _restart(data, start, good, stopped)
        root, halted, _, _ = _probe(data, start)
        report.segments += 1
        if root is not None:
            yield root


def _probe(data: bytes, start: int) -> tuple[Node | None, bool, int, int]:
    """Parse prefixes of ``data[start:]`` of doubling size until one stops early or the end
    is reached: (its tree, whether it stopped, the last size that did not stop, its size)."""
    remaining = len(data) - start
    size, good = min(_FIRST_PROBE, remaining), 0
    while True:
        root, halted = _parse(data[start:start + size])
        if halted or size >= remaining:
            return root, halted, good, size
        good, size = size, min(2 * size, remaining)


def _restart(data: bytes, start: int, good: int, stopped: int) -> int:
    """Where to start again after a segment (at ``start``) that stops between the prefix
    sizes ``good`` and ``stopped``: at a tag shortly before the element it stopped at."""
    while stopped - good > _PRECISION:
        middle = (good + stopped) // 2
        if _parse(data[start:start + middle])[1]:
            stopped = middle
        else:
            good = middle
    restart = data.rfind(b"<", start + 1, start + good + 1)
    return restart if restart > start else start + max(stopped, 1)
