"""``data:`` URIs decoded the way a browser does (WHATWG Fetch, "data: URL processor").

The text after ``data:`` up to the first comma is the media type, optionally ending in
``;base64``; the rest is percent-decoded, then, for base64, decoded with the spec's
forgiving base64 (ASCII whitespace ignored, padding optional). A fragment (``#...``) is
not part of the data. Anything else is an error saying why, never an exception from deep
inside the standard library.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote_to_bytes

from sentinelle.crawl.references import Skip

_BASE64_SUFFIX: Final = re.compile(r";[ ]*base64$", re.IGNORECASE)
_ESSENCE: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_WHITESPACE: Final = re.compile(rb"[\t\n\f\r ]+")
_BASE64_BODY: Final = re.compile(rb"[A-Za-z0-9+/]*")
_ASCII_WHITESPACE: Final = "\t\n\f\r "


class DataUriError(ValueError):
    """A ``data:`` URI that cannot be decoded; ``reason`` is the :class:`Skip` to count."""

    def __init__(self, reason: Skip) -> None:
        super().__init__(str(reason))
        self.reason = reason


@dataclass(frozen=True, slots=True)
class DataUri:
    media_type: str  #: lowercase ``type/subtype``; ``text/plain`` when none or invalid
    data: bytes


def is_data_uri(reference: str) -> bool:
    return reference[:5].lower() == "data:"


def media_type_of(uri: str) -> str:
    """The declared media type, without decoding the body."""
    head = uri[5:].partition(",")[0].strip(_ASCII_WHITESPACE)
    return _essence(_BASE64_SUFFIX.sub("", head))


def decode_data_uri(uri: str, *, max_bytes: int) -> DataUri:
    """Decode ``uri`` (starting with ``data:``, any case), at most ``max_bytes`` of data."""
    if not is_data_uri(uri):
        raise DataUriError(Skip.DATA_MALFORMED)
    head, comma, body = uri[5:].partition("#")[0].partition(",")
    if not comma:
        raise DataUriError(Skip.DATA_MALFORMED)
    head = head.strip(_ASCII_WHITESPACE)
    raw = body.encode("utf-8", "surrogatepass")
    suffix = _BASE64_SUFFIX.search(head)
    if suffix is None:
        if len(raw) > 3 * max_bytes:  # each escape is three characters for one byte
            raise DataUriError(Skip.DATA_TOO_LARGE)
        data = unquote_to_bytes(raw)
    else:
        head = head[: suffix.start()]
        data = _forgiving_base64(unquote_to_bytes(raw), max_bytes)
    if len(data) > max_bytes:
        raise DataUriError(Skip.DATA_TOO_LARGE)
    if not data:
        raise DataUriError(Skip.DATA_EMPTY)
    return DataUri(_essence(head), data)


def _forgiving_base64(encoded: bytes, max_bytes: int) -> bytes:
    text = _WHITESPACE.sub(b"", encoded)
    if len(text) % 4 == 0 and text.endswith(b"="):
        text = text[:-2] if text.endswith(b"==") else text[:-1]
    if len(text) % 4 == 1 or _BASE64_BODY.fullmatch(text) is None:
        raise DataUriError(Skip.DATA_BAD_BASE64)
    if len(text) // 4 * 3 > max_bytes:
        raise DataUriError(Skip.DATA_TOO_LARGE)
    try:
        return base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except binascii.Error:  # pragma: no cover - the checks above rule it out
        raise DataUriError(Skip.DATA_BAD_BASE64) from None


def _essence(head: str) -> str:
    if head.startswith(";"):
        return "text/plain"
    match = _ESSENCE.match(head.strip(_ASCII_WHITESPACE))
    return match.group().lower() if match else "text/plain"
