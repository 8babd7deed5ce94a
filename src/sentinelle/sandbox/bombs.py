"""Bytes of the hostile files: a PNG decompression bomb, a gzip bomb, filler for huge files.

All are built in milliseconds without ever holding the inflated data: a deflate
stream of zeros flushed with ``Z_FULL_FLUSH`` repeats the same bytes block after
block, and gzip allows any number of members one after another.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from functools import lru_cache
from typing import Final

_BLOCK: Final = 1 << 20  # 1 MiB of input per repeated deflate block or gzip member
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_ADLER_MODULUS: Final = 65521


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _zeros_stream(length: int) -> bytes:
    """A zlib stream that inflates to ``length`` zero bytes."""
    zeros = bytes(_BLOCK)
    packer = zlib.compressobj(9)
    head = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    middle = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(length, _BLOCK)
    if blocks == 0:
        return zlib.compress(bytes(length), 9)
    tail = packer.compress(bytes(rest)) + packer.flush(zlib.Z_FINISH)
    # Adler-32 of n zero bytes: A = 1, B = n (both mod 65521).
    checksum = struct.pack(">I", ((length % _ADLER_MODULUS) << 16) | 1)
    return head + middle * (blocks - 1) + tail[:-4] + checksum


@lru_cache(maxsize=4)
def png_bomb(side: int) -> bytes:
    """A black 1-bit greyscale PNG of ``side`` x ``side`` pixels (about 300 KB for 50,000)."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = 1 + (side + 7) // 8  # a filter byte, then the packed pixels
    return (
        _PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", _zeros_stream(row * side))
        + _chunk(b"IEND", b"")
    )


@lru_cache(maxsize=4)
def gzip_bomb(inflated: int) -> bytes:
    """A gzip body that inflates to about ``inflated`` bytes of HTML."""
    opening = gzip.compress(b"<!DOCTYPE html>\n<html><body>\n", mtime=0)
    unit = b"<div>sandbox</div>\n"
    member = gzip.compress(unit * (_BLOCK // len(unit)), mtime=0)
    return opening + member * max(1, inflated // _BLOCK)


@lru_cache(maxsize=1)
def filler_block() -> bytes:
    """64 KiB of bytes that look like nothing in particular, for huge files."""
    pattern = bytes(range(256)) * 256
    return pattern[: 1 << 16]


HUGE_FILE_HEAD: Final = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
