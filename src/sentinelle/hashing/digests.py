"""Cryptographic digests of the bytes, for exact matching."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Digests:
    md5: str
    sha1: str
    sha256: str


def digests(data: bytes) -> Digests:
    """MD5, SHA-1 and SHA-256 of ``data`` as lowercase hex."""
    return Digests(
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        sha1=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
    )
