"""Matching engine: exact (md5, sha1, sha256) and near-duplicate (PDQ) hash indexes.

Plain library code: the standard library, numpy and numba only.
"""

from sentinelle.matching.brute import BruteForceIndex
from sentinelle.matching.exact import ExactHashIndex
from sentinelle.matching.exceptions import (
    IndexFormatError,
    InvalidHashError,
    InvalidThresholdError,
    MatchingError,
)
from sentinelle.matching.hashes import (
    EXACT_SIGNAL_TYPES,
    SIGNAL_WIDTHS,
    hashes_from_hex,
    hashes_to_hex,
    pack_words,
    unpack_words,
)
from sentinelle.matching.interfaces import ExactIndex, NearIndex
from sentinelle.matching.mih import MultiIndexHashIndex
from sentinelle.matching.results import BatchLookup, BatchMatches

DEFAULT_PDQ_THRESHOLD = 31

__all__ = [
    "DEFAULT_PDQ_THRESHOLD",
    "EXACT_SIGNAL_TYPES",
    "SIGNAL_WIDTHS",
    "BatchLookup",
    "BatchMatches",
    "BruteForceIndex",
    "ExactHashIndex",
    "ExactIndex",
    "IndexFormatError",
    "InvalidHashError",
    "InvalidThresholdError",
    "MatchingError",
    "MultiIndexHashIndex",
    "NearIndex",
    "hashes_from_hex",
    "hashes_to_hex",
    "pack_words",
    "unpack_words",
]
