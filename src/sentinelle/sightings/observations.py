"""What a crawler hands over to be recorded: the media it fetched and the matches it found.

These are plain values (no bytes are kept): :meth:`SeenMedia.from_bytes` reduces a file to
its hashes, size, sniffed type and dimensions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sentinelle.banks.models import KnownHash
from sentinelle.crawl.models import CrawlRequest
from sentinelle.hashing import MediaError, MediaHashes, PdqHash, digests, hash_media
from sentinelle.hashing.decode import open_image
from sentinelle.sightings.exceptions import InvalidObservation
from sentinelle.sightings.sniff import sniff_mime


@dataclass(frozen=True)
class SeenMedia:
    """A fetched file, reduced to what is stored about it."""

    sha256: str
    md5: str
    sha1: str
    size: int
    mime: str
    width: int | None = None
    height: int | None = None
    pdq: PdqHash | None = None
    #: Why there is no PDQ (:attr:`sentinelle.hashing.MediaProblem.kind`), if there is none.
    problem: str = ""

    @classmethod
    def from_bytes(
        cls, data: bytes, hashes: MediaHashes | None = None, *, fast: bool = False
    ) -> SeenMedia:
        """Describe ``data``; pass ``hashes`` when the pipeline already computed them."""
        if hashes is None:
            hashes = hash_media(data, fast=fast)
        elif hashes.size != len(data):
            raise InvalidObservation(f"hashes of {hashes.size} bytes given for {len(data)} bytes")
        sums = hashes.digests or digests(data)
        width, height = _dimensions(data)
        return cls(
            sha256=sums.sha256,
            md5=sums.md5,
            sha1=sums.sha1,
            size=len(data),
            mime=sniff_mime(data),
            width=width,
            height=height,
            pdq=hashes.pdq,
            problem=hashes.error.kind if hashes.error else "",
        )


@dataclass(frozen=True)
class FoundMatch:
    """A listed hash the media matched.

    ``confirmed_reference`` says the verdict holds on the reference path: a PDQ candidate
    re-hashed with Pillow and ``pdqhash`` and still within the threshold, or any exact
    digest match. Only confirmed matches make a page confirmed. ``known_hash`` may be left
    out: the recorder then links the listed hash by list name, signal type and hash.
    """

    list_name: str
    signal_type: str
    hash: str
    distance: int
    confirmed_reference: bool
    category: str = ""
    transform: str = ""
    known_hash: KnownHash | None = None

    @classmethod
    def from_known(
        cls,
        known: KnownHash,
        *,
        distance: int,
        confirmed_reference: bool,
        transform: str = "",
    ) -> FoundMatch:
        return cls(
            list_name=str(known.list.name),
            signal_type=str(known.signal_type),
            hash=str(known.hash),
            distance=distance,
            confirmed_reference=confirmed_reference,
            category=str(known.category or known.list.category),
            transform=transform,
            known_hash=known,
        )


@dataclass(frozen=True)
class Observation:
    """One sighting to record: the arguments of :func:`.services.record_sighting`, as a value
    (:func:`.bulk.record_sightings` takes many)."""

    media: SeenMedia
    url: str
    seen_at: datetime
    page_url: str | None = None
    page_status: int | None = None
    ip: str | None = None
    http_status: int | None = None
    matches: tuple[FoundMatch, ...] = ()
    run: str | None = None
    crawl_request: CrawlRequest | None = None


def _dimensions(data: bytes) -> tuple[int | None, int | None]:
    """Width and height from the image header (no pixels decoded), when it is an image."""
    try:
        with open_image(data) as image:
            width, height = image.size
    except MediaError:
        return None, None
    return int(width), int(height)
