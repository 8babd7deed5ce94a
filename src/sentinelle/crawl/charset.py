"""Bytes of a page or stylesheet to text, choosing the encoding the way a browser does.

HTML: a byte order mark wins; then the encoding the caller was told (``encoding=``); then
the ``charset`` of the Content-Type header; then a ``<meta charset>`` (or ``http-equiv``)
in the first 4 KB; then UTF-8. A ``<meta>`` naming UTF-16 or UTF-32 means UTF-8 (ASCII
bytes cannot declare them, HTML standard); labels map to what browsers use (``latin1``
is windows-1252...); UTF-7 is refused. Undecodable bytes become U+FFFD, never an error.

CSS: byte order mark, then the Content-Type charset, then ``@charset "..."``, then the
encoding of the page that linked the stylesheet, then UTF-8.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
    to_unicode,
)

DEFAULT_ENCODING: Final = "utf-8"
_CSS_CHARSET: Final = re.compile(rb'@charset "([\x21\x23-\x7e]{1,40})";')


#: Python codecs that decode text but are no web encoding (or decode markup out of nothing).
_REFUSED: Final = frozenset({
    "undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "utf-7",
    "unicode-internal", "mbcs", "oem",
})


def _usable(name: str | None) -> str | None:
    """``name`` if it is a text encoding a page may use (not rot13, base64, zlib...)."""
    if name is None:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("_", "-") in _REFUSED:
        return None
    return info.name


def _resolved(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return _usable(resolve_encoding(label.strip()))
    except (LookupError, ValueError):
        return None


def decode(body: bytes, encoding: str) -> str:
    """``body`` decoded, U+FFFD for what does not decode."""
    return to_unicode(body, encoding)


def decode_html(body: bytes | str, *, content_type: str | None = None,
                encoding: str | None = None) -> tuple[str, str]:
    """(text, the encoding used) for an HTML document. Text input is returned as is."""
    if isinstance(body, str):
        return body, _resolved(encoding) or DEFAULT_ENCODING
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None and bom is not None:
        return decode(body[len(bom):], bom_encoding), bom_encoding
    chosen = _resolved(encoding) or _usable(http_content_type_encoding(content_type))
    if chosen is None:
        declared = _usable(html_body_declared_encoding(body))
        if declared is not None and declared.startswith(("utf-16", "utf-32")):
            declared = DEFAULT_ENCODING
        chosen = declared or DEFAULT_ENCODING
    return decode(body, chosen), chosen


def decode_css(body: bytes | str, *, content_type: str | None = None,
               referrer_encoding: str | None = None) -> tuple[str, str]:
    """(text, the encoding used) for a stylesheet (CSS Syntax 3, "decode bytes")."""
    if isinstance(body, str):
        return body, DEFAULT_ENCODING
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None and bom is not None:
        return decode(body[len(bom):], bom_encoding), bom_encoding
    chosen = _usable(http_content_type_encoding(content_type))
    if chosen is None:
        match = _CSS_CHARSET.match(body)
        declared = _resolved(match.group(1).decode("ascii")) if match else None
        if declared is not None and declared.startswith(("utf-16", "utf-32")):
            declared = DEFAULT_ENCODING
        chosen = declared or _resolved(referrer_encoding) or DEFAULT_ENCODING
    return decode(body, chosen), chosen
