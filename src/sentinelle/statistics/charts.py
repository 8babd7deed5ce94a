"""Charts drawn as SVG with the standard library: horizontal bars for categories (providers,
countries), columns for a series (matches per day, a histogram). Every bar carries a
``<title>`` with its label and value, the chart a ``<title>`` and ``<desc>`` for screen
readers; ElementTree escapes every label. The page puts a table of the same numbers beside it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Final

SVG: Final = "http://www.w3.org/2000/svg"
WIDTH: Final = 640
ROW: Final = 22  # height of one horizontal bar, with its gap
LABEL: Final = 180  # room for the labels left of horizontal bars
COLUMNS_HEIGHT: Final = 220
MAX_LABEL: Final = 32

Bar = tuple[str, float]


def _root(ident: str, title: str, description: str, height: int) -> ET.Element:
    svg = ET.Element("svg", {"xmlns": SVG, "viewBox": f"0 0 {WIDTH} {height}", "width": str(WIDTH),
                             "height": str(height), "role": "img", "aria-labelledby": f"{ident}-t {ident}-d",
                             "class": "chart", "id": ident})
    ET.SubElement(svg, "title", {"id": f"{ident}-t"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{ident}-d"}).text = description
    return svg


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _bar(parent: ET.Element, label: str, value: float, box: tuple[float, float, float, float]) -> None:
    group = ET.SubElement(parent, "g", {"class": "bar-group"})
    x, y, width, height = box
    rect = ET.SubElement(group, "rect", {"class": "bar", "x": f"{x:.1f}", "y": f"{y:.1f}",
                                         "width": f"{width:.1f}", "height": f"{height:.1f}"})
    ET.SubElement(rect, "title").text = f"{label}: {_number(value)}"


def _empty(svg: ET.Element, height: int, text: str) -> None:
    ET.SubElement(svg, "text", {"x": str(WIDTH // 2), "y": str(height // 2), "text-anchor": "middle"}).text = text


def bar_chart(ident: str, title: str, bars: Sequence[Bar], *, empty: str = "-") -> str:
    """Horizontal bars, one per ``(label, value)``, longest to the largest value."""
    height = max(ROW * len(bars) + 10, 40)
    svg = _root(ident, title, "; ".join(f"{label}: {_number(value)}" for label, value in bars) or empty, height)
    if not bars:
        _empty(svg, height, empty)
    top = max((value for _, value in bars), default=0) or 1
    span = WIDTH - LABEL - 60
    for index, (label, value) in enumerate(bars):
        y = 5 + index * ROW
        _bar(svg, label, value, (LABEL, y, span * value / top, ROW - 6))
        ET.SubElement(svg, "text", {"x": str(LABEL - 6), "y": f"{y + ROW - 10}", "text-anchor": "end",
                                    "class": "label"}).text = _short(label)
        ET.SubElement(svg, "text", {"x": f"{LABEL + span * value / top + 4:.1f}", "y": f"{y + ROW - 10}",
                                    "class": "value"}).text = _number(value)
    return ET.tostring(svg, encoding="unicode")


def column_chart(ident: str, title: str, columns: Sequence[Bar], *, empty: str = "-") -> str:
    """Vertical columns in the given order (a series, or a histogram's buckets); the first and
    last labels are written under the axis, every label is in the column's title."""
    svg = _root(ident, title, "; ".join(f"{label}: {_number(value)}" for label, value in columns) or empty,
                COLUMNS_HEIGHT + 30)
    if not columns:
        _empty(svg, COLUMNS_HEIGHT, empty)
    top = max((value for _, value in columns), default=0) or 1
    step = (WIDTH - 20) / max(len(columns), 1)
    for index, (label, value) in enumerate(columns):
        height = (COLUMNS_HEIGHT - 20) * value / top
        _bar(svg, label, value, (10 + index * step + 1, COLUMNS_HEIGHT - height, max(step - 2, 1), height))
    ET.SubElement(svg, "line", {"x1": "10", "x2": str(WIDTH - 10), "y1": str(COLUMNS_HEIGHT),
                                "y2": str(COLUMNS_HEIGHT), "class": "axis"})
    ET.SubElement(svg, "text", {"x": "10", "y": str(COLUMNS_HEIGHT + 20), "class": "label"}).text = (
        _short(columns[0][0]) if columns else "")
    ET.SubElement(svg, "text", {"x": str(WIDTH - 10), "y": str(COLUMNS_HEIGHT + 20), "text-anchor": "end",
                                "class": "label"}).text = _short(columns[-1][0]) if columns else ""
    ET.SubElement(svg, "text", {"x": "12", "y": "14", "class": "value"}).text = f"max {_number(top)}"
    return ET.tostring(svg, encoding="unicode")
