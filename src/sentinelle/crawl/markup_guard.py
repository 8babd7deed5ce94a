"""Keeps hostile markup from costing lxml quadratic time: at most N attributes per start tag.

libxml2 checks each new attribute of a start tag against all the previous ones, so one
tag with 40,000 distinct attributes (350 KB) takes two seconds to parse, and a 4 MB one
minutes. No real page has a thousand attributes on an element; a tag with more keeps its
first ``max_attributes`` and loses the rest (counted), before lxml sees the text.

Finding tags means following the HTML tokenizer where it matters, or an attacker could
hide a long tag where this scan thinks there is none: comments (and their abrupt
endings), bogus comments, end tags (whose attributes are tokenized too), the raw text of
``script`` (with its escaped and double-escaped states), ``style``, ``textarea``,
``title``, ``xmp``, ``iframe``, ``noembed``, ``noframes`` and ``plaintext``, and quoted
attribute values. libxml2 2.14 tokenizes as the HTML standard says (checked in the
tests). Ordinary markup goes by in one possessive regular-expression match, so the scan
is linear and costs little; this is no parser: lxml still parses everything.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

_SPACE: Final = r"\t\n\f\r "
ATTRIBUTE: Final = (
    rf"[{_SPACE}/]*+[^{_SPACE}/>][^{_SPACE}/=>]*+"
    rf"""(?:[{_SPACE}]*+=[{_SPACE}]*+(?:"[^"]*+"?|'[^']*+'?|[^{_SPACE}>]*+))?+"""
)
_RAW_NAMES: Final = "script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext"
RAW_TEXT: Final = frozenset(_RAW_NAMES.split("|"))
_RAW_AHEAD: Final = rf"(?i:{_RAW_NAMES})(?:[{_SPACE}/>]|\Z)"
_TAG_END: Final = rf"[{_SPACE}/]*+>?"
_START: Final = re.compile(rf"<([A-Za-z][^{_SPACE}/>]*+)")
_REST_OF_TAG: Final = re.compile(rf"(?:{ATTRIBUTE})*+")
_ATTRIBUTE: Final = re.compile(ATTRIBUTE)
_TAG_CLOSE: Final = re.compile(_TAG_END)
_SCRIPT_DATA: Final = re.compile(rf"<!--|</(?i:script)(?=[{_SPACE}/>])")
_SCRIPT_ESCAPED: Final = re.compile(rf"-->|<(/?)(?i:script)(?=[{_SPACE}/>])")
_SCRIPT_DOUBLE: Final = re.compile(rf"-->|</(?i:script)(?=[{_SPACE}/>])")


@lru_cache(maxsize=8)
def _ordinary(max_attributes: int) -> re.Pattern[str]:
    """Text and markup up to the next raw-text start tag or over-long start tag."""
    return re.compile(
        rf"""(?:
              [^<]++
            | <!--(?:>|->|[\s\S]*?(?:--!?>|\Z))
            | <[!?][^>]*+>?
            | </(?:[A-Za-z][^{_SPACE}/>]*+(?:{ATTRIBUTE})*+{_TAG_END}|>|[^A-Za-z>][^>]*+>?|\Z)
            | <(?!{_RAW_AHEAD})[A-Za-z][^{_SPACE}/>]*+(?:{ATTRIBUTE}){{0,{max_attributes}}}+
              (?![{_SPACE}/]*+[^{_SPACE}/>]){_TAG_END}
            | <(?![A-Za-z!/?])
        )*+""",
        re.VERBOSE,
    )


@lru_cache(maxsize=8)
def _kept(max_attributes: int) -> re.Pattern[str]:
    return re.compile(rf"(?:{ATTRIBUTE}){{0,{max_attributes}}}+")


@lru_cache(maxsize=64)
def _raw_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</(?i:{re.escape(name)})(?=[{_SPACE}/>])")


def limit_attributes(html: str, max_attributes: int) -> tuple[str, int]:
    """``html`` with at most ``max_attributes`` per start tag, and how many were dropped."""
    ordinary, kept = _ordinary(max_attributes), _kept(max_attributes)
    pieces: list[str] = []
    copied = position = dropped = 0
    end = len(html)
    while True:
        position = ordinary.match(html, position).end()  # type: ignore[union-attr]
        if position >= end:
            break
        start = _START.match(html, position)
        assert start is not None  # only a start tag stops the ordinary run
        name = start.group(1).lower()
        cut = kept.match(html, start.end()).end()  # type: ignore[union-attr]
        rest = _REST_OF_TAG.match(html, cut).end()  # type: ignore[union-attr]
        if rest > cut:
            dropped += len(_ATTRIBUTE.findall(html, cut, rest))
            pieces.append(html[copied:cut])
            copied = rest
        position = _TAG_CLOSE.match(html, rest).end()  # type: ignore[union-attr]
        if name in RAW_TEXT:
            position = _skip_raw_text(html, name, position)
    if not pieces:
        return html, 0
    pieces.append(html[copied:])
    return "".join(pieces), dropped


def _skip_raw_text(html: str, name: str, position: int) -> int:
    """Where the raw text of ``name`` starting at ``position`` ends (its end tag's ``<``)."""
    if name == "plaintext":
        return len(html)
    if name != "script":
        found = _raw_end(name).search(html, position)
        return found.start() if found else len(html)
    state = _SCRIPT_DATA
    while (found := state.search(html, position)) is not None:
        token = found.group()
        if state is _SCRIPT_DATA:
            if token.startswith("</"):
                return found.start()
            state, position = _SCRIPT_ESCAPED, found.start() + 2  # "<!-->" closes at once
        elif token == "-->":
            state, position = _SCRIPT_DATA, found.end()
        elif state is _SCRIPT_ESCAPED:
            if found.group(1):
                return found.start()
            state, position = _SCRIPT_DOUBLE, found.end()
        else:
            state, position = _SCRIPT_ESCAPED, found.end()
    return len(html)
