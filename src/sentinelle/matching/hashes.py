"""Hash representations shared by every index: hex strings, byte batches and packed words.

A batch of hashes is an ``(N, width)`` ``uint8`` array whose row is ``bytes.fromhex(hex)``.
The near-duplicate kernels work on PDQ hashes packed as four big-endian 64-bit words per row,
so bit ``p`` of the hash (0 = most significant bit of the first byte) is bit ``63 - p % 64``
of word ``p // 64``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt

from sentinelle.matching.exceptions import InvalidHashError, InvalidThresholdError

HashBatch: TypeAlias = npt.NDArray[np.uint8]
Words: TypeAlias = npt.NDArray[np.uint64]
Ids: TypeAlias = npt.NDArray[np.int64]
Distances: TypeAlias = npt.NDArray[np.int32]

#: Bytes per hash for every signal type sentinelle knows.
SIGNAL_WIDTHS: Final[dict[str, int]] = {"pdq": 32, "md5": 16, "sha1": 20, "sha256": 32}
#: Signal types matched by equality only.
EXACT_SIGNAL_TYPES: Final[tuple[str, ...]] = ("md5", "sha1", "sha256")
PDQ_BYTES: Final = 32
PDQ_BITS: Final = 256
PDQ_WORDS: Final = 4

HashLike: TypeAlias = npt.NDArray[np.uint8] | bytes | str


def signal_width(signal_type: str) -> int:
    """Return the length in bytes of one hash of ``signal_type``."""
    try:
        return SIGNAL_WIDTHS[signal_type]
    except KeyError:
        known = ", ".join(SIGNAL_WIDTHS)
        raise InvalidHashError(f"unknown signal type {signal_type!r} (known: {known})") from None


def hashes_from_hex(hexes: Iterable[str], width: int = PDQ_BYTES) -> HashBatch:
    """Parse hex strings (any case) into an ``(N, width)`` byte batch."""
    rows = [_one_from_hex(text, width) for text in hexes]
    if not rows:
        return np.empty((0, width), dtype=np.uint8)
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), width).copy()


def hashes_to_hex(batch: HashBatch) -> list[str]:
    """Format each row of a byte batch as lowercase hex."""
    return [bytes(row).hex() for row in as_hash_batch(batch, batch.shape[-1])]


def as_hash_batch(hashes: npt.ArrayLike, width: int = PDQ_BYTES) -> HashBatch:
    """Check that ``hashes`` is an ``(N, width)`` ``uint8`` array and return it C-contiguous."""
    if not isinstance(hashes, np.ndarray):
        raise InvalidHashError(f"expected a numpy array of shape (N, {width}), got {type(hashes)}")
    if hashes.dtype != np.uint8:
        raise InvalidHashError(f"expected dtype uint8, got {hashes.dtype}")
    if hashes.ndim != 2 or hashes.shape[1] != width:
        raise InvalidHashError(f"expected shape (N, {width}), got {hashes.shape}")
    return np.ascontiguousarray(hashes)


def as_one_hash(value: HashLike, width: int = PDQ_BYTES) -> HashBatch:
    """Accept one hash as hex, bytes or a ``(width,)`` array; return a ``(1, width)`` batch."""
    if isinstance(value, str):
        raw = _one_from_hex(value, width)
    elif isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        if len(raw) != width:
            raise InvalidHashError(f"expected {width} bytes, got {len(raw)}")
    elif isinstance(value, np.ndarray):
        if value.dtype != np.uint8 or value.shape != (width,):
            raise InvalidHashError(
                f"expected a uint8 array of shape ({width},), got {value.dtype} {value.shape}"
            )
        raw = value.tobytes()
    else:
        raise InvalidHashError(f"cannot read a hash from {type(value).__name__}")
    return np.frombuffer(raw, dtype=np.uint8).reshape(1, width).copy()


def as_ids(ids: npt.ArrayLike, count: int) -> Ids:
    """Check that ``ids`` holds ``count`` integers and return them as ``int64``."""
    array = np.asarray(ids)
    if array.ndim != 1 or array.shape[0] != count:
        raise InvalidHashError(f"expected {count} ids in a 1-D array, got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise InvalidHashError(f"ids must be integers, got dtype {array.dtype}")
    if array.dtype == np.uint64 and array.size and int(array.max()) > np.iinfo(np.int64).max:
        raise InvalidHashError("ids must fit in int64")
    return np.ascontiguousarray(array, dtype=np.int64)


def as_id_set(ids: npt.ArrayLike | Sequence[int]) -> Ids:
    """Return the distinct ids of any integer sequence, sorted."""
    array = np.asarray(ids)
    if array.ndim == 0:
        array = array.reshape(1)
    return np.unique(as_ids(array, array.shape[0]))


def check_threshold(threshold: int, bits: int = PDQ_BITS) -> int:
    """Accept a Hamming distance threshold in ``[0, bits]``."""
    if isinstance(threshold, bool) or not isinstance(threshold, int | np.integer):
        raise InvalidThresholdError(f"threshold must be an integer, got {threshold!r}")
    if not 0 <= threshold <= bits:
        raise InvalidThresholdError(f"threshold must be between 0 and {bits}, got {threshold}")
    return int(threshold)


def pack_words(batch: HashBatch) -> Words:
    """Pack an ``(N, 32)`` PDQ batch into ``(N, 4)`` native ``uint64`` words (big-endian bytes)."""
    batch = as_hash_batch(batch, PDQ_BYTES)
    return batch.view(">u8").astype(np.uint64)


def unpack_words(words: Words) -> HashBatch:
    """Inverse of :func:`pack_words`."""
    big = np.ascontiguousarray(words, dtype=">u8")
    return big.view(np.uint8).reshape(words.shape[0], PDQ_BYTES).copy()


def _one_from_hex(text: str, width: int) -> bytes:
    if not isinstance(text, str) or len(text) != 2 * width:
        raise InvalidHashError(f"expected {2 * width} hex characters, got {text!r}")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise InvalidHashError(f"not a hex string: {text!r}") from None
    if len(raw) != width:
        raise InvalidHashError(f"not a hex string: {text!r}")
    return raw
