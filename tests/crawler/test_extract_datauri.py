"""data: URIs: base64 and percent-encoded, the declared type, bad ones skipped, caps."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from sentinelle.crawl.datauri import DataUri, DataUriError, decode_data_uri, media_type_of
from sentinelle.crawl.extract import ExtractLimits, Placement, Skip, extract, extract_css

PAGE = "http://inline.example/page.html"


def png_bytes() -> bytes:
    """A small generated picture (a gradient), as PNG."""
    image = Image.new("RGB", (16, 8))
    image.putdata([(x * 16, y * 32, 128) for y in range(8) for x in range(16)])
    stream = io.BytesIO()
    image.save(stream, "PNG")
    return stream.getvalue()


def decode(uri: str, max_bytes: int = 1 << 20) -> DataUri:
    return decode_data_uri(uri, max_bytes=max_bytes)


def test_base64_image() -> None:
    data = png_bytes()
    uri = "data:image/png;base64," + base64.b64encode(data).decode()
    assert decode(uri) == DataUri("image/png", data)


@pytest.mark.parametrize("uri", [
    "DATA:IMAGE/PNG;BASE64,aGVsbG8=",
    "data:image/png;base64,aGVsbG8",  # padding is optional
    "data:image/png;base64,aGVs\n bG8=",  # whitespace is ignored
    "data:image/png ; base64,aGVsbG8=",
    "data:image/png;charset=x;base64,aGVsbG8=",
    "data:image/png;base64,aGVsbG8=#fragment",
    "data:image/png;base64,aGVs%62G8=",  # percent-decoded first
])
def test_forgiving_base64(uri: str) -> None:
    assert decode(uri).data == b"hello"


def test_percent_encoded_svg() -> None:
    uri = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3C/svg%3E"
    assert decode(uri) == DataUri("image/svg+xml",
                                  b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    assert decode("data:image/svg+xml;utf8,<svg>é</svg>").data == "<svg>é</svg>".encode()


@pytest.mark.parametrize(("uri", "media_type"), [
    ("data:,hello", "text/plain"),
    ("data:;base64,aGVsbG8=", "text/plain"),
    ("data:Image/GIF;base64,aGVsbG8=", "image/gif"),
    ("data:not a type,hello", "text/plain"),
])
def test_declared_type(uri: str, media_type: str) -> None:
    assert decode(uri).media_type == media_type
    assert media_type_of(uri) == media_type


@pytest.mark.parametrize(("uri", "reason"), [
    ("data:image/png;base64", Skip.DATA_MALFORMED),
    ("data:image/png", Skip.DATA_MALFORMED),
    ("data:image/png;base64,a", Skip.DATA_BAD_BASE64),
    ("data:image/png;base64,aGVsbG8*", Skip.DATA_BAD_BASE64),
    ("data:image/png;base64,aGVsbG8===", Skip.DATA_BAD_BASE64),
    ("data:image/png;base64,", Skip.DATA_EMPTY),
    ("data:image/png,", Skip.DATA_EMPTY),
    ("data:image/png;base64," + "A" * 2000, Skip.DATA_TOO_LARGE),
    ("data:image/png," + "A" * 2000, Skip.DATA_TOO_LARGE),
])
def test_bad_data_uris(uri: str, reason: Skip) -> None:
    with pytest.raises(DataUriError) as caught:
        decode(uri, max_bytes=1000)
    assert caught.value.reason is reason


def test_in_a_page_data_uris_become_data_media_and_bad_ones_are_counted() -> None:
    data = png_bytes()
    encoded = base64.b64encode(data).decode()
    html = (f'<img src="data:image/png;base64,{encoded}">'
            f'<img src="  data:image/png;base64,{encoded}  ">'  # the same, once
            '<img srcset="data:image/gif;base64,R0lGODlhAQABAAAAACw= 1x, /real.jpg 2x">'
            '<div style="background:url(\'data:image/svg+xml,%3Csvg%3E%3C/svg%3E\')"></div>'
            '<img src="data:image/png;base64,@@@@">'
            '<a href="data:image/png;base64,aGVsbG8=">inline picture</a>'
            '<a href="data:text/html,<script>alert(1)</script>">nope</a>'
            '<iframe src="data:text/html,<p>hi</p>"></iframe>'
            '<link rel="stylesheet" href="data:text/css,a{}">')
    found = extract(html, PAGE)
    assert [(d.media_type, d.placement) for d in found.data_media] == [
        ("image/png", Placement.IMG_SRC), ("image/gif", Placement.SRCSET),
        ("image/svg+xml", Placement.INLINE_STYLE), ("image/png", Placement.A_HREF_MEDIA),
    ]
    assert found.data_media[0].data == data
    assert [ref.url for ref in found.media] == ["http://inline.example/real.jpg"]
    assert found.links == [] and found.frames == [] and found.stylesheets == []
    assert found.skipped == {Skip.DUPLICATE: 1, Skip.DATA_BAD_BASE64: 1, Skip.DATA_NOT_MEDIA: 3}


def test_data_media_caps() -> None:
    html = "".join(
        f'<img src="data:image/png;base64,{base64.b64encode(bytes([n]) * 100).decode()}">'
        for n in range(10))
    few = extract(html, PAGE, limits=ExtractLimits(max_data_media=3))
    assert len(few.data_media) == 3 and few.skipped[Skip.CAP_DATA] == 7
    small = extract(html, PAGE, limits=ExtractLimits(max_data_bytes=99))
    assert small.data_media == [] and small.skipped[Skip.DATA_TOO_LARGE] == 10
    total = extract(html, PAGE, limits=ExtractLimits(max_data_total=450))
    assert len(total.data_media) == 4 and total.skipped[Skip.DATA_TOO_LARGE] == 6


def test_fonts_in_data_uris_are_skipped_in_css() -> None:
    css = "@font-face{src:url(data:font/woff2;base64,d09GMgAB)} a{b:url(data:font/woff2;base64,AA)}"
    assert extract_css(css, "http://inline.example/s.css") == []
