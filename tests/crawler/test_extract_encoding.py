"""Which encoding a page is read in: BOM, caller, HTTP header, <meta>, then UTF-8."""

from __future__ import annotations

import codecs

import pytest

from sentinelle.crawl.charset import decode_html
from sentinelle.crawl.extract import extract

PAGE = "http://enc.example/"
CAFE = "http://enc.example/caf%C3%A9.jpg"  # the path is always UTF-8, whatever the page's


def media(html: bytes, **options: str) -> tuple[list[str], str]:
    found = extract(html, PAGE, **options)  # type: ignore[arg-type]
    return [ref.url for ref in found.media], found.encoding


def test_meta_charset() -> None:
    html = '<meta charset="iso-8859-1"><img src="/café.jpg">'.encode("latin-1")
    assert media(html) == ([CAFE], "cp1252")


def test_meta_http_equiv() -> None:
    html = ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            '<img src="/café.jpg">').encode("cp1252")
    assert media(html) == ([CAFE], "cp1252")


def test_header_beats_meta_and_caller_beats_header() -> None:
    html = '<meta charset="utf-8"><img src="/café.jpg">'.encode("latin-1")
    assert media(html, content_type="text/html; charset=ISO-8859-1") == ([CAFE], "cp1252")
    assert media(html, content_type="text/html; charset=utf-8", encoding="latin-1") == (
        [CAFE], "cp1252")


@pytest.mark.parametrize(("bom", "codec"), [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_bom_wins(bom: bytes, codec: str) -> None:
    html = bom + '<meta charset="iso-8859-1"><img src="/café.jpg">'.encode(codec)
    assert media(html, content_type="text/html; charset=latin-1", encoding="cp1251") == (
        [CAFE], codec)


def test_meta_declaring_utf16_means_utf8() -> None:
    html = '<meta charset="utf-16"><img src="/café.jpg">'.encode()
    assert media(html) == ([CAFE], "utf-8")


def test_shift_jis_page() -> None:
    html = '<meta charset="shift_jis"><img src="/写真.jpg">'.encode("shift_jis")
    urls, used = media(html)
    assert used == "cp932"
    assert urls == ["http://enc.example/%E5%86%99%E7%9C%9F.jpg"]


@pytest.mark.parametrize("label", ["rot13", "base64", "zlib", "hex", "utf-7", "undefined",
                                   "unicode_escape", "no-such-charset", "x" * 500])
def test_unusable_labels_fall_back_to_utf8(label: str) -> None:
    html = f'<meta charset="{label}"><img src="/café.jpg">'.encode()
    assert media(html) == ([CAFE], "utf-8")
    assert media(html, content_type=f"text/html; charset={label}") == ([CAFE], "utf-8")
    assert media(html, encoding=label) == ([CAFE], "utf-8")


def test_undeclared_is_utf8_with_replacement() -> None:
    html = b'<img src="/caf\xe9.jpg"><img src="/\xff\xfe\xfd.png"><img src="/ok.jpg">'
    urls, used = media(html)
    assert used == "utf-8"
    assert urls == ["http://enc.example/caf%EF%BF%BD.jpg",
                    "http://enc.example/%EF%BF%BD%EF%BF%BD%EF%BF%BD.png",
                    "http://enc.example/ok.jpg"]


def test_wrongly_declared_encoding_never_raises() -> None:
    html = '<meta charset="utf-8"><img src="/café.jpg">'.encode("utf-16-le")
    urls, used = media(html)  # undecodable as declared: garbage in, no exception out
    assert used == "utf-8"
    assert isinstance(urls, list)


def test_nul_bytes_become_replacement_characters() -> None:
    urls, _ = media(b'\x00<img src="/a\x00b.jpg">\x00<img\x00 src="/c.jpg">')
    assert "http://enc.example/a%EF%BF%BDb.jpg" in urls


def test_text_input_is_taken_as_it_is() -> None:
    assert decode_html('<img src="/café.jpg">') == ('<img src="/café.jpg">', "utf-8")
    found = extract('<img src="/café.jpg?q=é">', PAGE, encoding="latin-1")
    assert found.encoding == "cp1252"
    assert [ref.url for ref in found.media] == ["http://enc.example/caf%C3%A9.jpg?q=%E9"]


def test_lone_surrogates_in_text_input() -> None:
    found = extract('<img src="/a\ud800.jpg"><img src="/b.jpg">', PAGE)
    assert [ref.url for ref in found.media][-1] == "http://enc.example/b.jpg"
