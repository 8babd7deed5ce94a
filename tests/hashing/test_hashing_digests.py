"""MD5, SHA-1 and SHA-256 of the bytes: what exact matching and shared hash lists rely on."""

from __future__ import annotations

import hashlib

import pytest

from sentinelle.hashing import Digests, digests, hash_media


@pytest.mark.parametrize(
    "data",
    [b"", b"a", b"\x00" * 1000, bytes(range(256)) * 300],
    ids=["empty", "one", "zeros", "ramp"],
)
def test_digests_are_hashlib_s_lowercase_hex(data: bytes) -> None:
    assert digests(data) == Digests(
        md5=hashlib.md5(data).hexdigest(),
        sha1=hashlib.sha1(data).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_known_values() -> None:
    assert digests(b"abc") == Digests(
        md5="900150983cd24fb0d6963f7d28e17f72",
        sha1="a9993e364706816aba3e25717850c26c9cd0d89d",
        sha256="ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    )


def test_sha256_of_every_vector_file(vectors) -> None:
    """Against MANIFEST.tsv, written when the files were copied from ThreatExchange."""
    manifest = vectors.manifest()
    assert len(manifest) == 64
    computed = {path: digests(vectors.bytes(path)).sha256 for path in manifest}
    assert computed == manifest


@pytest.mark.parametrize("fast", [False, True])
def test_hash_media_reports_size_and_digests_of_an_image(vectors, fast: bool) -> None:
    data = vectors.bytes("pdq/data/misc-images/wee.jpg")
    result = hash_media(data, fast=fast)
    assert result.error is None
    assert result.size == len(data) == 13664
    assert result.digests == digests(data)
    assert (
        result.digests.sha256 == "05636c50d0c2ffe3a820f964eaba35b404deadd10538fe452ad9fb16fdd823d7"
    )
