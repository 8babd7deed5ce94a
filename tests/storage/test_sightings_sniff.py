"""Media types come from the bytes, never from names or headers."""

from __future__ import annotations

import pytest
from storage_support import picture

from sentinelle.sightings.sniff import OCTET_STREAM, sniff_mime


@pytest.mark.parametrize(
    ("format", "mime"),
    [
        ("JPEG", "image/jpeg"),
        ("PNG", "image/png"),
        ("GIF", "image/gif"),
        ("WEBP", "image/webp"),
        ("BMP", "image/bmp"),
        ("TIFF", "image/tiff"),
    ],
)
def test_drawn_pictures(format: str, mime: str) -> None:
    assert sniff_mime(picture(5, format, size=(40, 30))) == mime


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "video/mp4"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00", "image/avif"),
        (b"\x1aE\xdf\xa3\x9fB\x86\x81\x01", "video/webm"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "video/x-msvideo"),
        (b"\xef\xbb\xbf  <!DOCTYPE html><html></html>", "text/html"),
        (b"<HTML><body>hi</body></HTML>", "text/html"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
        (b"<svg viewBox='0 0 1 1'/>", "image/svg+xml"),
        (b'<?xml version="1.0"?><feed/>', "text/xml"),
        ("plain caf\u00e9 text".encode(), "text/plain"),
        (b"\x00\x01\x02\x03binary", OCTET_STREAM),
        (b"\xff\xfe\xfa not utf-8 at all, early", OCTET_STREAM),
        (b"", OCTET_STREAM),
        (b"BM", "text/plain"),  # too short for a bitmap header
    ],
)
def test_signatures(data: bytes, mime: str) -> None:
    assert sniff_mime(data) == mime


def test_a_jpeg_named_anything_is_a_jpeg() -> None:
    data = picture(6)
    assert sniff_mime(data) == "image/jpeg"
    assert sniff_mime(b"<html>" + data) == "text/html"  # what it starts like, nothing else
