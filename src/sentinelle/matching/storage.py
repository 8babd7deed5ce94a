"""The versioned, checksummed file format shared by every index kind (never pickle).

Layout (all integers little-endian, every section 64-byte aligned)::

    0   8  magic  b"SNTLIDX\\0"
    8   2  format version (1)
    10  2  kind (1 brute-force PDQ, 2 multi-index-hashing PDQ, 3 exact, 4 entry table)
    12  4  flags (0)
    16  8  length of the JSON metadata
    24  8  offset of the first section
    32  8  length of the whole file, digest included
    40 24  zero
    64  .  metadata: UTF-8 JSON {"params": {...}, "sections": [{name, dtype, shape, offset}]}
    .   .  sections: raw array bytes, C order, each at a multiple of 64
    -32 32 SHA-256 of every byte before it
"""

from __future__ import annotations

import hashlib
import json
import math
import mmap
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from sentinelle.matching.exceptions import IndexFormatError

MAGIC = b"SNTLIDX\0"
FORMAT_VERSION = 1
HEADER = struct.Struct("<8sHHIQQQ24x")
DIGEST_SIZE = 32
ALIGN = 64
ALLOWED_DTYPES = frozenset({"|u1", "<u4", "<u8", "<i4", "<i8"})
_HASH_BLOCK = 1 << 24


class IndexKind(IntEnum):
    BRUTE_PDQ = 1
    MIH_PDQ = 2
    EXACT = 3
    ENTRIES = 4  #: columns describing indexed entries (sentinelle.banks.served_index)


@dataclass(frozen=True)
class IndexFile:
    """What a file holds: its kind, parameters (plain JSON values) and named arrays."""

    kind: IndexKind
    params: dict[str, Any]
    arrays: dict[str, npt.NDArray[Any]]


def _align(offset: int) -> int:
    return -(-offset // ALIGN) * ALIGN


def write_index(
    path: str | os.PathLike[str],
    kind: IndexKind,
    params: Mapping[str, Any],
    arrays: Mapping[str, npt.NDArray[Any]],
) -> None:
    """Write atomically: a temporary file in the same directory, then a rename."""
    stored = {name: _little_endian(array) for name, array in arrays.items()}
    sections: list[dict[str, Any]] = []
    offset = 0
    for name, array in stored.items():
        sections.append({"name": name, "dtype": array.dtype.str, "shape": list(array.shape)})
    meta = b""
    # Offsets depend on the metadata length, which depends on the offsets: iterate to a fixpoint.
    for _ in range(8):
        offset = _align(HEADER.size + len(meta))
        data_offset = offset
        for section, array in zip(sections, stored.values(), strict=True):
            section["offset"] = offset
            offset = _align(offset + array.nbytes)
        encoded = json.dumps({"params": dict(params), "sections": sections}).encode()
        if encoded == meta:
            break
        meta = encoded
    else:
        raise RuntimeError("index metadata layout did not settle")
    file_length = offset + DIGEST_SIZE
    header = HEADER.pack(MAGIC, FORMAT_VERSION, int(kind), 0, len(meta), data_offset, file_length)
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with temporary.open("wb") as out:
            position = _emit(out, digest, header + meta, 0)
            for section, array in zip(sections, stored.values(), strict=True):
                position = _emit(out, digest, bytes(int(section["offset"]) - position), position)
                raw = array.reshape(-1).view(np.uint8).data
                position = _emit(out, digest, raw, position)
            _emit(out, digest, bytes(offset - position), position)
            out.write(digest.digest())
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _emit(out: BinaryIO, digest: Any, data: bytes | memoryview, position: int) -> int:
    out.write(data)
    digest.update(data)
    return position + len(data)


def _little_endian(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    wanted = array.dtype.newbyteorder("<")
    if wanted.str not in ALLOWED_DTYPES:
        raise TypeError(f"cannot store dtype {array.dtype}")
    return np.ascontiguousarray(array, dtype=wanted)


def read_index(
    path: str | os.PathLike[str], kind: IndexKind, *, verify: bool = True, use_mmap: bool = True
) -> IndexFile:
    """Read and check a file; arrays are read-only views of a memory map when ``use_mmap``.

    ``verify=False`` skips only the checksum (for a trusted file); the header and the section
    table are always checked.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < HEADER.size + DIGEST_SIZE:
            raise IndexFormatError(f"{path}: truncated ({size} bytes) or not an index file")
        if use_mmap:
            buffer = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        else:
            buffer = _aligned_bytes(size).data
            if handle.readinto(buffer) != size:
                raise IndexFormatError(f"{path}: file changed while being read")
    magic, version, stored_kind, _flags, meta_length, data_offset, file_length = HEADER.unpack_from(
        buffer, 0
    )
    if magic != MAGIC:
        raise IndexFormatError(f"{path}: not a sentinelle index file (bad magic {magic!r})")
    if version != FORMAT_VERSION:
        newer = " written by a newer sentinelle" if version > FORMAT_VERSION else ""
        raise IndexFormatError(
            f"{path}: unsupported format version {version}{newer} (this one reads {FORMAT_VERSION})"
        )
    if file_length != size:
        raise IndexFormatError(f"{path}: header says {file_length} bytes but file has {size}")
    if stored_kind != kind:
        raise IndexFormatError(f"{path}: holds index kind {stored_kind}, expected {kind.name}")
    end = size - DIGEST_SIZE
    if data_offset != _align(HEADER.size + meta_length) or data_offset > end:
        raise IndexFormatError(f"{path}: inconsistent metadata length or data offset")
    if verify:
        _verify_digest(path, buffer, end)
    params, sections = _parse_meta(path, bytes(buffer[HEADER.size : HEADER.size + meta_length]))
    arrays = {}
    for name, (dtype, shape, offset) in _check_sections(path, sections, data_offset, end).items():
        arrays[name] = _view(buffer, dtype, shape, offset)
    return IndexFile(IndexKind(stored_kind), params, arrays)


def _aligned_bytes(size: int) -> npt.NDArray[np.uint8]:
    """A writable buffer whose first byte sits on a 64-byte boundary, like a mapped file's."""
    raw = np.empty(size + ALIGN, dtype=np.uint8)
    skip = -raw.ctypes.data % ALIGN
    return raw[skip : skip + size]


def _verify_digest(path: object, buffer: memoryview, end: int) -> None:
    digest = hashlib.sha256()
    for start in range(0, end, _HASH_BLOCK):
        digest.update(buffer[start : min(start + _HASH_BLOCK, end)])
    if digest.digest() != bytes(buffer[end : end + DIGEST_SIZE]):
        raise IndexFormatError(f"{path}: checksum mismatch (file corrupted or modified)")


def _parse_meta(path: object, raw: bytes) -> tuple[dict[str, Any], list[Any]]:
    try:
        meta = json.loads(raw.decode("utf-8"))
        params, sections = meta["params"], meta["sections"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise IndexFormatError(f"{path}: unreadable metadata ({error})") from None
    if not isinstance(params, dict) or not isinstance(sections, list):
        raise IndexFormatError(f"{path}: metadata has the wrong shape")
    return params, sections


def _check_sections(
    path: object, sections: list[Any], data_offset: int, end: int
) -> dict[str, tuple[np.dtype[Any], tuple[int, ...], int]]:
    checked: dict[str, tuple[np.dtype[Any], tuple[int, ...], int]] = {}
    position = data_offset
    for section in sections:
        try:
            name, dtype_str = str(section["name"]), str(section["dtype"])
            shape = tuple(int(n) for n in section["shape"])
            offset = int(section["offset"])
        except (KeyError, TypeError, ValueError):
            raise IndexFormatError(f"{path}: malformed section entry {section!r}") from None
        if dtype_str not in ALLOWED_DTYPES or name in checked or any(n < 0 for n in shape):
            raise IndexFormatError(f"{path}: bad section {name!r} ({dtype_str}, {shape})")
        dtype = np.dtype(dtype_str)
        nbytes = math.prod(shape) * dtype.itemsize
        if offset % ALIGN or offset < position or offset + nbytes > end:
            raise IndexFormatError(f"{path}: section {name!r} lies outside the data area")
        position = offset + nbytes
        checked[name] = (dtype, shape, offset)
    return checked


def _view(
    buffer: memoryview, dtype: np.dtype[Any], shape: tuple[int, ...], offset: int
) -> npt.NDArray[Any]:
    """A view of the buffer: read-only over a memory map, writable over an array."""
    count = math.prod(shape)
    if count == 0:
        return np.empty(shape, dtype=dtype.newbyteorder("="))
    array = np.frombuffer(buffer, dtype=dtype, count=count, offset=offset).reshape(shape)
    return array if dtype.isnative else array.astype(dtype.newbyteorder("="))


def require(path: object, found: IndexFile, name: str, dtype: str, ndim: int) -> npt.NDArray[Any]:
    """Fetch one named array, checking its dtype and number of dimensions."""
    array = found.arrays.get(name)
    if array is None:
        raise IndexFormatError(f"{path}: missing section {name!r}")
    if array.dtype != np.dtype(dtype) or array.ndim != ndim:
        raise IndexFormatError(f"{path}: section {name!r} is {array.dtype} {array.shape}")
    return array
