"""Reading a response body for :mod:`.fetch` within a size cap and a deadline.

The cap holds for the bytes after decompression: ``gzip`` and ``deflate`` are inflated here
with a bounded output (a 1 GiB gzip bomb costs ``max_bytes`` of memory, not 1 GiB); any other
``Content-Encoding`` is refused. Reading stops at the deadline even when the server sends one
byte at a time.
"""

from __future__ import annotations

import time
import zlib
from typing import TYPE_CHECKING, Final

from urllib3.exceptions import HTTPError as Urllib3Error

from sentinelle.crawl.fetch_exceptions import FetchFailed, ResponseTooLarge

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse

CHUNK: Final = 64 * 1024


def read_body(response: BaseHTTPResponse, url: str, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(f"Content-Length {declared} is over {max_bytes} bytes", url)
    inflate = _inflater(response.headers.get("content-encoding", ""), url)
    parts: list[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise FetchFailed("the answer took too long", url)
            raw = response.read1(CHUNK, decode_content=False)
            if not raw:
                break
            data = raw
            if inflate is not None:
                data = inflate.decompress(raw, max_bytes + 1 - size)
                if inflate.unconsumed_tail:  # more output than the cap allows
                    raise ResponseTooLarge(f"the body inflates past {max_bytes} bytes", url)
            size += len(data)
            if size > max_bytes:
                raise ResponseTooLarge(f"the body is over {max_bytes} bytes", url)
            parts.append(data)
        if inflate is not None:
            tail = inflate.flush()
            size += len(tail)
            if size > max_bytes:
                raise ResponseTooLarge(f"the body inflates past {max_bytes} bytes", url)
            parts.append(tail)
    except (Urllib3Error, OSError, zlib.error) as error:
        raise FetchFailed(f"the answer broke off ({error})", url) from None
    return b"".join(parts)


def _inflater(encoding: str, url: str) -> zlib._Decompress | None:
    name = encoding.strip().lower()
    if name in ("", "identity"):
        return None
    if name in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return zlib.decompressobj()  # zlib-wrapped, as the standard says
    raise FetchFailed(f"unsupported Content-Encoding {encoding!r}", url)
