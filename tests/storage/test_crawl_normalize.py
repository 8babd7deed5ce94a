"""URL normalisation and keys: one canonical form per address, clear errors for the rest."""

from __future__ import annotations

import hashlib

import pytest

from sentinelle.crawl.exceptions import (
    InvalidRequest,
    InvalidUrl,
    UnsupportedScheme,
    UrlTooLong,
)
from sentinelle.crawl.normalize import MAX_URL_LENGTH, normalize_url
from sentinelle.exceptions import SentinelleError


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTP://Example.COM", "http://example.com/"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:/a", "http://example.com/a"),
        ("http://example.com/a#section-2", "http://example.com/a"),
        ("http://example.com/Path/File.JPG?Q=A&b=C", "http://example.com/Path/File.JPG?Q=A&b=C"),
        ("http://example.com/a%2fb%c3%a9", "http://example.com/a%2Fb%C3%A9"),
        ("http://example.com/caf\u00e9?q=\u00fc", "http://example.com/caf%C3%A9?q=%C3%BC"),
        ("http://B\u00fccher.example/", "http://xn--bcher-kva.example/"),
        ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
        ("http://[::1]:8080/", "http://[::1]:8080/"),
        ("http://User:Pass@Example.com:80/", "http://User:Pass@example.com/"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
    ],
)
def test_normalized_form(given: str, expected: str) -> None:
    assert normalize_url(given).url == expected


def test_equivalent_spellings_share_one_key() -> None:
    spellings = [
        "http://example.com/a?b=1",
        "HTTP://EXAMPLE.com:80/a?b=1#top",
        " http://example.com/a?b=1#",
    ]
    keys = {normalize_url(url).key for url in spellings}
    assert len(keys) == 1


def test_key_is_the_sha256_of_the_normalized_url() -> None:
    normalized = normalize_url("https://Example.com/x")
    assert normalized.key == hashlib.sha256(b"https://example.com/x").hexdigest()
    assert normalized.host == "example.com"


def test_path_and_query_case_make_different_keys() -> None:
    assert normalize_url("http://a.example/x").key != normalize_url("http://a.example/X").key
    assert normalize_url("http://a.example/?q=a").key != normalize_url("http://a.example/?q=A").key


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ("ftp://example.com/file", UnsupportedScheme),
        ("javascript:alert(1)", UnsupportedScheme),
        ("file:///etc/passwd", UnsupportedScheme),
        ("data:image/png;base64,AAAA", UnsupportedScheme),
        ("example.com/no-scheme", UnsupportedScheme),
        ("", InvalidUrl),
        ("   ", InvalidUrl),
        ("http:///only-a-path", InvalidUrl),
        ("http://example.com:99999/", InvalidUrl),
        ("http://example.com:port/", InvalidUrl),
        ("http://exa mple.com/", InvalidUrl),
        ("http://example.com/a\nb", InvalidUrl),
        ("http://example.com/\x00", InvalidUrl),
        ("http://[::1/", InvalidUrl),
        ("http://example.com/" + "a" * MAX_URL_LENGTH, UrlTooLong),
    ],
)
def test_refused_urls(given: str, error: type[InvalidUrl]) -> None:
    with pytest.raises(error) as raised:
        normalize_url(given)
    assert isinstance(raised.value, InvalidRequest)
    assert isinstance(raised.value, SentinelleError)
    assert str(raised.value)


def test_a_url_at_the_limit_is_accepted() -> None:
    prefix = "http://example.com/"
    url = prefix + "a" * (MAX_URL_LENGTH - len(prefix))
    assert normalize_url(url).url == url


def test_a_url_longer_after_normalization_is_refused() -> None:
    prefix = "http://example.com/"
    url = prefix + "\u00e9" * (MAX_URL_LENGTH - len(prefix))  # each becomes %C3%A9
    with pytest.raises(UrlTooLong):
        normalize_url(url)


def test_not_text_is_refused() -> None:
    with pytest.raises(InvalidUrl, match="text"):
        normalize_url(b"http://example.com/")  # type: ignore[arg-type]
