"""``srcset`` values split the way the HTML standard says ("parse a srcset attribute").

A candidate is a URL (a run of non-whitespace characters, so commas inside a URL stay
in it, and only trailing commas are cut) followed by descriptors up to the next comma
that is not inside parentheses: ``320w``, ``1.5x``, ``200h`` (with ``w`` only). A
candidate whose descriptors break the rules is one a browser drops; it is still returned,
with ``valid`` false, because the URL is a reference all the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_SEPARATORS: Final = re.compile(r"[\t\n\f\r ,]*+")
_URL: Final = re.compile(r"[^\t\n\f\r ]++")
#: Descriptors run to a comma outside parentheses (or the end).
_DESCRIPTORS: Final = re.compile(r"(?:[^,(]++|\([^)]*+\)?+)*+")
_DESCRIPTOR: Final = re.compile(r"(?:[^\t\n\f\r (]++|\([^)]*+\)?+)++")
_INTEGER: Final = re.compile(r"[0-9]+")
_FLOAT: Final = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class Candidate:
    url: str
    descriptors: tuple[str, ...] = ()
    width: int | None = None
    density: float | None = None
    height: int | None = None
    valid: bool = True


def parse_srcset(value: str) -> list[Candidate]:
    """Every image candidate of a ``srcset`` (or ``imagesrcset``, ``data-srcset``) value."""
    candidates: list[Candidate] = []
    position, end = 0, len(value)
    while True:
        position = _SEPARATORS.match(value, position).end()  # type: ignore[union-attr]
        if position >= end:
            return candidates
        url_match = _URL.match(value, position)
        assert url_match is not None  # a non-separator character is there
        url, position = url_match.group(), url_match.end()
        descriptors: tuple[str, ...] = ()
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            section = _DESCRIPTORS.match(value, position)
            assert section is not None  # the pattern matches the empty string
            descriptors = tuple(_DESCRIPTOR.findall(section.group()))
            position = section.end()
        if url:
            candidates.append(_candidate(url, descriptors))


def _candidate(url: str, descriptors: tuple[str, ...]) -> Candidate:
    width: int | None = None
    density: float | None = None
    height: int | None = None
    valid = True
    for descriptor in descriptors:
        number, unit = descriptor[:-1], descriptor[-1:]
        if unit == "w" and width is None and density is None and _INTEGER.fullmatch(number):
            width = _integer(number)
            valid = valid and width > 0
        elif unit == "x" and width is None and density is None and height is None \
                and _FLOAT.fullmatch(number):
            density = float(number)
            valid = valid and density >= 0
        elif unit == "h" and height is None and density is None and _INTEGER.fullmatch(number):
            height = _integer(number)
            valid = valid and height > 0
        else:
            valid = False
    if height is not None and width is None:
        valid = False
    return Candidate(url, descriptors, width, density, height, valid)


def _integer(digits: str) -> int:
    """The value of a run of digits, capped (int() refuses thousands of digits)."""
    return int(digits) if len(digits) <= 18 else 10**18
