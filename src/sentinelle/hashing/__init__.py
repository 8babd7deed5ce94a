"""Hashing: bytes in, digests and PDQ out. No Django, no Scrapy: a plain library.

* :func:`hash_media` is the entry point (never raises for bad media).
* :mod:`.signals` names the hash types; :mod:`.decode` turns bytes into pixels;
  :mod:`.pdq` holds the reference path and :mod:`.pdq_core` our PDQ core;
  :mod:`.fast` the decoder shortcuts.
"""

from sentinelle.hashing.decode import DecodeLimits
from sentinelle.hashing.digests import Digests, digests
from sentinelle.hashing.exceptions import (
    CorruptMedia,
    EmptyMedia,
    HashingError,
    InvalidHash,
    MediaError,
    MediaTooLarge,
    UnknownSignalType,
    UnsupportedMedia,
)
from sentinelle.hashing.fast import FastSettings, fast_pdq
from sentinelle.hashing.media import MediaHashes, MediaProblem, hash_media, reference_pdq_of
from sentinelle.hashing.pdq import Dihedral, PdqHash, PdqPath, pdq_from_pixels, reference_pdq
from sentinelle.hashing.signals import (
    SIGNAL_TYPES,
    Md5Signal,
    PdqSignal,
    Sha1Signal,
    Sha256Signal,
    SignalType,
    signal_type,
)

__all__ = [
    "SIGNAL_TYPES",
    "CorruptMedia",
    "DecodeLimits",
    "Digests",
    "Dihedral",
    "EmptyMedia",
    "FastSettings",
    "HashingError",
    "InvalidHash",
    "Md5Signal",
    "MediaError",
    "MediaHashes",
    "MediaProblem",
    "MediaTooLarge",
    "PdqHash",
    "PdqPath",
    "PdqSignal",
    "Sha1Signal",
    "Sha256Signal",
    "SignalType",
    "UnknownSignalType",
    "UnsupportedMedia",
    "digests",
    "fast_pdq",
    "hash_media",
    "pdq_from_pixels",
    "reference_pdq",
    "reference_pdq_of",
    "signal_type",
]
