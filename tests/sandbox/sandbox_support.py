"""Helpers for the sandbox tests: a small HTTP client through the resolver, and an HTML
reader that lists every image reference a browser would load, with where it was found."""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from sentinelle.sandbox import Resolver


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def connect(resolver: Resolver, url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the address the resolver gives for the URL's host, and the target."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    address = resolver.resolve(parts.hostname)[0]
    connection = http.client.HTTPConnection(str(address), parts.port or 80, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return connection, target


def fetch(
    resolver: Resolver,
    url: str,
    *,
    method: str = "GET",
    timeout: float = 10.0,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Fetched:
    connection, target = connect(resolver, url, timeout)
    try:
        connection.request(
            method, target, body=body, headers={"Host": urlsplit(url).netloc, **(headers or {})}
        )
        response = connection.getresponse()
        data = response.read()
        found = {name.lower(): value for name, value in response.getheaders()}
        return Fetched(url, response.status, found, data)
    finally:
        connection.close()


def follow(resolver: Resolver, url: str, *, limit: int = 10) -> tuple[list[Fetched], Fetched]:
    """Fetch ``url`` following redirects: (the redirect answers, the last answer)."""
    hops: list[Fetched] = []
    current = fetch(resolver, url)
    while current.status in (301, 302, 303, 307, 308):
        hops.append(current)
        assert len(hops) <= limit, f"more than {limit} redirects from {url}"
        location = current.header("location")
        assert location, f"{current.url} redirects without a Location"
        current = fetch(resolver, urljoin(current.url, location))
    return hops, current


@dataclass(frozen=True)
class Ref:
    """One reference found in a document: where (``how``) and what (``raw``, ``url``)."""

    how: str
    raw: str
    url: str
    descriptor: str = ""


_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)")
_VOID = frozenset({"img", "source", "meta", "link", "base", "br", "hr", "input"})
_LAZY = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-bg")


def css_urls(text: str) -> list[str]:
    return [match.group(2) for match in _CSS_URL.finditer(text)]


def srcset_candidates(value: str) -> list[tuple[str, str]]:
    pairs = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        pairs.append((url, descriptor.strip()))
    return pairs


@dataclass
class _State:
    open: list[str] = field(default_factory=list)
    base: str | None = None
    styles: list[str] = field(default_factory=list)
    found: list[tuple[str, str, str]] = field(default_factory=list)  # how, raw, descriptor


class ReferenceReader(HTMLParser):
    """Lists the image references of an HTML document as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.state = _State()
        self.links: list[tuple[str, str]] = []  # (rel, href) of <a> and <link>
        self.frames: list[str] = []
        self.stylesheets: list[str] = []
        self._in_style = False

    def _add(self, how: str, raw: str, descriptor: str = "") -> None:
        self.state.found.append((how, raw, descriptor))

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attributes}
        context = "/".join(t for t in self.state.open if t in ("noscript", "picture", "a"))
        prefix = f"{context}/" if context else ""
        if tag not in _VOID:
            self.state.open.append(tag)
        if tag == "base" and "href" in attrs:
            self.state.base = attrs["href"]
        if tag == "style":
            self._in_style = True
        if "style" in attrs:
            for url in css_urls(attrs["style"]):
                self._add("style-attribute", url)
        if tag in ("img", "source"):
            if "src" in attrs:
                self._add(f"{prefix}{tag}[src]", attrs["src"])
            for name in ("srcset", "data-srcset"):
                for url, descriptor in srcset_candidates(attrs.get(name, "")):
                    if url:
                        self._add(f"{prefix}{tag}[{name}]", url, descriptor)
        for name in _LAZY:
            if name in attrs:
                self._add(f"{tag}[{name}]", attrs[name])
        if tag == "a" and "href" in attrs:
            self.links.append((attrs.get("rel", ""), attrs["href"]))
            self._add("a[href]", attrs["href"])
        if tag == "link":
            rel = attrs.get("rel", "")
            self.links.append((rel, attrs.get("href", "")))
            if rel == "preload" and attrs.get("as") == "image":
                self._add("link[preload]", attrs["href"])
            if rel == "stylesheet":
                self.stylesheets.append(attrs["href"])
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name") or ""
            if key in ("og:image", "twitter:image"):
                self._add(f"meta[{key}]", attrs["content"])
        if tag == "video" and "poster" in attrs:
            self._add("video[poster]", attrs["poster"])
        if tag == "iframe" and "src" in attrs:
            self.frames.append(attrs["src"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if tag in self.state.open:
            while self.state.open and self.state.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for url in css_urls(data):
                self._add("style-element", url)

    def references(self, document_url: str) -> list[Ref]:
        base = urljoin(document_url, self.state.base) if self.state.base else document_url
        return [
            Ref(how, raw, raw if raw.startswith("data:") else urljoin(base, raw), descriptor)
            for how, raw, descriptor in self.state.found
        ]


def read_html(text: str) -> ReferenceReader:
    reader = ReferenceReader()
    reader.feed(text)
    reader.close()
    return reader
