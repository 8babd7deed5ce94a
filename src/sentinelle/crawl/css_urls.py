"""The URLs a piece of CSS refers to: ``url()``, ``image-set()`` strings and ``@import``.

A single forward scan over the CSS tokens that matter (CSS Syntax Level 3): comments,
strings, functions, at-keywords and the brackets that nest them. Escapes are undone
(``u\\72l(a\\ b.png)`` is ``url(a b.png)``), quoted and unquoted forms are both read,
``url()`` inside comments and strings is not a reference, and an unquoted ``url()`` that
CSS itself rejects (a space or a quote inside) is reported as bad. URLs inside
``@font-face`` blocks are fonts. Every pattern is possessive, so the scan is linear even
on hostile input (tinycss2 was measured at about 1 MB/s, and superlinear on deep
nesting, so it is not used).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

_ESCAPE: Final = r"\\(?:[0-9a-fA-F]{1,6}[\t\n\f\r ]?|[^\n\r\f0-9a-fA-F])"
_NAME: Final = r"[A-Za-z0-9_\-\x80-\U0010ffff]"
_IDENT: Final = rf"(?:--|-?(?:[A-Za-z_\x80-\U0010ffff]|{_ESCAPE}))(?:{_NAME}++|{_ESCAPE})*+"
_TOKEN: Final = re.compile(
    rf"""
      /\*(?:[^*]++|\*(?!/))*+(?:\*/)?                              # comment
    | "(?P<dq>(?:[^"\\\n]++|\\[\s\S]?)*+)(?P<dq_end>"?)            # string
    | '(?P<sq>(?:[^'\\\n]++|\\[\s\S]?)*+)(?P<sq_end>'?)
    | @(?P<at>{_IDENT})                                          # at-keyword
    | (?<![A-Za-z0-9_\-\x80-\U0010ffff\\])(?P<function>{_IDENT})\(  # function token
    | (?P<brackets>[(){{}}]++)
    | \\[\s\S]                                                   # an escape: not a quote
    """,
    re.VERBOSE,
)
_UNQUOTED_URL: Final = re.compile(
    r"""[\t\n\f\r ]*+(?P<body>(?:[^"'()\\\t\n\f\r \x00-\x08\x0b\x0e-\x1f\x7f]++|\\[^\n\r\f])*+)"""
    r"""[\t\n\f\r ]*+(?:\)|\Z)"""
)
_QUOTED_ARGUMENT: Final = re.compile(r"""[\t\n\f\r ]*+(?=["'])""")
_BAD_URL_REMNANTS: Final = re.compile(r"(?:[^)\\]++|\\[\s\S]?)*+\)?")
_UNESCAPE: Final = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[\t\n\f\r ]?|(\r\n|[\n\r\f])|([\s\S])|$)")
IMAGE_SET: Final = frozenset({
    "image-set", "-webkit-image-set", "-moz-image-set", "-o-image-set",
})
_URL_FUNCTIONS: Final = frozenset({"url", "src"})


class CssRole(StrEnum):
    MEDIA = "media"  #: url() or an image-set() string
    IMPORT = "import"  #: @import: another stylesheet
    FONT = "font"  #: inside @font-face
    BAD = "bad"  #: an unquoted url() that CSS discards


@dataclass(frozen=True, slots=True)
class CssRef:
    value: str  #: the URL as written, escapes undone, not resolved
    role: CssRole


def unescape(text: str) -> str:
    """CSS escapes undone; an escaped newline (a string's line continuation) vanishes."""
    if "\\" not in text:
        return text
    return _UNESCAPE.sub(_unescaped, text)


def _unescaped(match: re.Match[str]) -> str:
    digits, newline, other = match.groups()
    if digits is not None:
        code = int(digits, 16)
        if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            return "\ufffd"
        return chr(code)
    if newline is not None:
        return ""
    return other if other is not None else ""


def may_refer(text: str) -> bool:
    """False when ``text`` certainly holds no reference (the common case for style="")."""
    return "(" in text or "@" in text


def css_references(css: str) -> Iterator[CssRef]:
    """Every URL in ``css``, in order, with its role."""
    stack: list[str] = []  # open functions by name, "(" and "{"; "{font" for @font-face
    fonts = 0
    pending = ""  # the last at-keyword, until the token it applies to
    position = 0
    while (match := _TOKEN.search(css, position)) is not None:
        position = match.end()
        first = css[match.start()]
        if first == "/":
            continue
        if first in "\"'":
            group = "dq" if first == '"' else "sq"
            closed = bool(match.group(f"{group}_end")) or position == len(css)
            top = stack[-1] if stack else ""
            if closed and (top in _URL_FUNCTIONS or top in IMAGE_SET or pending == "import"):
                yield _ref(unescape(match.group(group)), pending, fonts)
            if top in _URL_FUNCTIONS:  # url() takes one string: later ones are not URLs
                stack[-1] = f"{top}()"
            pending = ""
        elif match.group("at") is not None:
            pending = unescape(match.group("at")).lower()
        elif match.group("function") is not None:
            name = unescape(match.group("function")).lower()
            if name != "url":
                stack.append(name)
                continue
            unquoted = _UNQUOTED_URL.match(css, position)
            if unquoted is not None:
                position = unquoted.end()
                yield _ref(unescape(unquoted.group("body")), pending, fonts)
                pending = ""
            elif (quoted := _QUOTED_ARGUMENT.match(css, position)) is not None:
                position = quoted.end()
                stack.append("url")
            else:
                position = _BAD_URL_REMNANTS.match(css, position).end()  # type: ignore[union-attr]
                yield CssRef("", CssRole.BAD)
        elif (brackets := match.group("brackets")) is not None:
            if brackets == "(" * len(brackets):  # a hostile "((((((..." costs no loop
                stack.extend(brackets)
                continue
            for bracket in brackets:
                fonts, pending = _bracket(bracket, stack, fonts, pending)


def _bracket(bracket: str, stack: list[str], fonts: int, pending: str) -> tuple[int, str]:
    if bracket == "(":
        stack.append("(")
    elif bracket == "{":
        font = pending == "font-face"
        stack.append("{font" if font else "{")
        return fonts + font, ""
    elif bracket == ")":
        if stack and stack[-1][0] != "{":
            stack.pop()
    elif stack and stack[-1][0] == "{":  # "}" closes a block only
        fonts -= stack.pop() == "{font"
        return fonts, ""
    return fonts, pending


def _ref(value: str, pending: str, fonts: int) -> CssRef:
    if fonts:
        return CssRef(value, CssRole.FONT)
    return CssRef(value, CssRole.IMPORT if pending == "import" else CssRole.MEDIA)
