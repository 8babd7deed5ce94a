"""A file's media type from its first bytes, never from headers or the URL's extension.

Signatures follow the WHATWG MIME Sniffing Standard for the types the crawler meets; what
is not recognised is ``text/plain`` when it looks like UTF-8 text and
``application/octet-stream`` otherwise.
"""

from __future__ import annotations

from typing import Final

OCTET_STREAM: Final = "application/octet-stream"

#: (offset, signature, type), first match wins.
_SIGNATURES: Final = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"\x00\x00\x01\x00", "image/x-icon"),
    (0, b"\x1aE\xdf\xa3", "video/webm"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"\x1f\x8b\x08", "application/gzip"),
    (0, b"OggS\x00", "application/ogg"),
    (0, b"ID3", "audio/mpeg"),
)
_RIFF: Final = {b"WEBP": "image/webp", b"AVI ": "video/x-msvideo", b"WAVE": "audio/wav"}
_ISO_BRANDS: Final = {
    b"avif": "image/avif",
    b"avis": "image/avif",
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"qt  ": "video/quicktime",
}
_MARKUP: Final = (
    (b"<svg", "image/svg+xml"),
    (b"<!doctype html", "text/html"),
    (b"<html", "text/html"),
    (b"<head", "text/html"),
    (b"<body", "text/html"),
    (b"<?xml", "text/xml"),
)


def sniff_mime(data: bytes) -> str:
    """The media type ``data`` starts like."""
    for offset, signature, mime in _SIGNATURES:
        if data.startswith(signature, offset):
            return mime
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] in _RIFF:
        return _RIFF[data[8:12]]
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return _ISO_BRANDS.get(data[8:12], "video/mp4")
    if data.startswith(b"BM") and len(data) >= 26:
        return "image/bmp"
    return _markup(data[:1024])


def _markup(head: bytes) -> str:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    for prefix, mime in _MARKUP:
        if text.startswith(prefix):
            if mime == "text/xml" and b"<svg" in text:
                return "image/svg+xml"
            return mime
    if not head or b"\x00" in head:
        return OCTET_STREAM
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the sample
            return OCTET_STREAM
    return "text/plain"
