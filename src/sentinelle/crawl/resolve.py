"""A reference as written in a document, to the absolute URL a browser would request.

Before joining, what the URL standard strips is stripped: leading and trailing spaces
and control characters, and every tab and newline inside; backslashes before the query
count as slashes (http and https are "special" schemes). A reference that is only a
fragment points at the document itself. The fragment is dropped, the scheme must be
http or https, and the result goes through :func:`~sentinelle.crawl.normalize.normalize_url`.
Non-ASCII characters in the query are percent-encoded in the document's encoding, as
browsers do for HTML (the path is always UTF-8).
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import quote, urljoin

from sentinelle.crawl.exceptions import InvalidUrl, UnsupportedScheme, UrlTooLong
from sentinelle.crawl.normalize import normalize_url
from sentinelle.crawl.references import Skip

_C0_AND_SPACE: Final = "".join(chr(code) for code in range(0x21))
_TAB_NEWLINE: Final = re.compile(r"[\t\n\r]")
_SCHEME: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]+")
#: What the URL parser percent-encodes in a path, and in a query (controls, space, quotes...).
_PATH_ESCAPED: Final = re.compile(r'[\x00-\x20\x7f"<>`{}]')
_QUERY_ESCAPED: Final = re.compile(r"[\x00-\x20\x7f\"<>']")
#: Schemes counted by name when skipped; any other is ``scheme:other``.
NAMED_SCHEMES: Final = frozenset({
    "javascript", "mailto", "tel", "sms", "ftp", "file", "blob", "about", "data", "ws",
    "wss", "chrome", "intent", "whatsapp", "magnet", "irc", "news", "callto", "skype",
})
HTTP_SCHEMES: Final = frozenset({"http", "https"})


class Unresolvable(ValueError):
    """The reference gives no URL to fetch; ``reason`` is the key to count."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean(reference: str) -> str:
    """What the URL parser keeps of ``reference`` (spaces, controls, tabs, newlines gone)."""
    text = reference.strip(_C0_AND_SPACE)
    if "\t" in text or "\n" in text or "\r" in text:
        text = _TAB_NEWLINE.sub("", text)
    return text


def scheme_of(reference: str) -> str | None:
    """The lowercase scheme of a cleaned reference, or None for a relative one."""
    match = _SCHEME.match(reference)
    return match.group(1).lower() if match else None


def skip_reason_for_scheme(scheme: str) -> str:
    return f"scheme:{scheme if scheme in NAMED_SCHEMES else 'other'}"


def resolve(reference: str, base: str, *, encoding: str = "utf-8") -> str:
    """The normalised absolute URL of ``reference`` (already :func:`clean`) against ``base``.

    Raises :class:`Unresolvable` with the reason to count.
    """
    if not reference:
        raise Unresolvable(Skip.EMPTY)
    if reference.startswith("#"):
        raise Unresolvable(Skip.FRAGMENT_ONLY)
    scheme = scheme_of(reference)
    if scheme is not None and scheme not in HTTP_SCHEMES:
        raise Unresolvable(skip_reason_for_scheme(scheme))
    if "\\" in reference:
        head, mark, tail = _split_query(reference)
        reference = head.replace("\\", "/") + mark + tail
    try:
        joined = urljoin(base, reference)
    except ValueError:
        raise Unresolvable(Skip.INVALID_URL) from None
    joined = _escaped(joined.partition("#")[0], encoding)
    try:
        return normalize_url(joined).url
    except UrlTooLong:
        raise Unresolvable(Skip.URL_TOO_LONG) from None
    except UnsupportedScheme:
        raise Unresolvable(skip_reason_for_scheme(scheme_of(joined) or "other")) from None
    except InvalidUrl:
        raise Unresolvable(Skip.INVALID_URL) from None


def _escaped(url: str, encoding: str) -> str:
    """``url`` with what a browser percent-encodes in its path and query encoded."""
    scheme, slashes, rest = url.partition("//")
    authority_end = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    authority, path_and_query = rest[:authority_end], rest[authority_end:]
    path, mark, query = path_and_query.partition("?")
    path = _PATH_ESCAPED.sub(_percent, path)
    if mark:
        if encoding != "utf-8" and not query.isascii():
            query = _encode_query(query, encoding)
        query = _QUERY_ESCAPED.sub(_percent, query)
    return f"{scheme}{slashes}{authority}{path}{mark}{query}"


def _percent(match: re.Match[str]) -> str:
    return f"%{ord(match.group()):02X}"


def _split_query(reference: str) -> tuple[str, str, str]:
    cut = min((i for i in (reference.find("?"), reference.find("#")) if i >= 0),
              default=len(reference))
    return reference[:cut], reference[cut:cut + 1], reference[cut + 1:]


def _encode_query(query: str, encoding: str) -> str:
    def escaped(run: re.Match[str]) -> str:
        return quote(run.group(), safe="", encoding=encoding, errors="xmlcharrefreplace")

    try:
        return _NON_ASCII.sub(escaped, query)
    except (LookupError, UnicodeError):
        return query
