"""One canonical form per URL, and the key that indexes it.

Two spellings of one address must give one crawl request and one page, so a URL is
normalised before it is stored or compared (RFC 3986 section 6.2.2, and what a browser
sends):

* the scheme and the host are lowercased; a non-ASCII host is written in IDNA (punycode);
* the scheme's default port (80 for http, 443 for https) is dropped;
* an empty path becomes ``/``;
* the fragment is removed (it is never sent to a server);
* non-ASCII characters in the path and query are percent-encoded as UTF-8, and every
  percent-escape is written in upper case.

The path, query and user information are otherwise kept as given: servers may treat them
case-sensitively. Only ``http`` and ``https`` URLs are accepted, at most
:data:`MAX_URL_LENGTH` characters before and after normalisation, with a host, and with no
whitespace or control characters. The key is the SHA-256 (lowercase hex) of the normalised
URL's UTF-8 bytes: URLs can be long, keys are 64 characters and index well.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote, urlsplit, urlunsplit

from sentinelle.crawl.exceptions import InvalidUrl, UnsupportedScheme, UrlTooLong

MAX_URL_LENGTH: Final = 4096
DEFAULT_PORTS: Final = {"http": 80, "https": 443}

_FORBIDDEN: Final = re.compile(r"[\x00-\x20\x7f]")
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]+")
_ESCAPE: Final = re.compile(r"%[0-9a-fA-F]{2}")


@dataclass(frozen=True)
class NormalizedUrl:
    """A URL in canonical form, its index key, and its host (lowercase, IDNA)."""

    url: str
    key: str
    host: str


def url_key(normalized: str) -> str:
    """The index key of an already normalised URL."""
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def normalize_url(url: str) -> NormalizedUrl:
    """``url`` in canonical form, or :class:`InvalidUrl` (or a subclass) saying why not."""
    if not isinstance(url, str):
        raise InvalidUrl(f"a URL is text, got {type(url).__name__}")
    text = url.strip()
    if not text:
        raise InvalidUrl("the URL is empty")
    _check_length(text)
    if _FORBIDDEN.search(text):
        raise InvalidUrl("the URL contains whitespace or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(f"the URL cannot be parsed: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsupportedScheme(f"only http and https URLs are crawled, got {scheme or 'none'!r}")
    host = _host(parts.hostname)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at:
        netloc = f"{userinfo}@{netloc}"
    path = _encoded(parts.path) or "/"
    normalized = urlunsplit((scheme, netloc, path, _encoded(parts.query), ""))
    _check_length(normalized)
    return NormalizedUrl(normalized, url_key(normalized), host)


def _check_length(text: str) -> None:
    if len(text) > MAX_URL_LENGTH:
        raise UrlTooLong(f"the URL has {len(text)} characters, more than {MAX_URL_LENGTH}")


def _host(hostname: str | None) -> str:
    if not hostname:
        raise InvalidUrl("the URL has no host")
    if hostname.isascii():
        return hostname
    try:
        return hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidUrl(f"the host {hostname!r} is not a valid internationalised name") from None


def _encoded(component: str) -> str:
    try:
        escaped = _NON_ASCII.sub(lambda run: quote(run.group(), safe=""), component)
    except UnicodeEncodeError:
        raise InvalidUrl("the URL contains characters that are not valid Unicode") from None
    return _ESCAPE.sub(lambda escape: escape.group().upper(), escaped)
