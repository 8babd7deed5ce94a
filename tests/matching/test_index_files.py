"""The index file format: round trips, and every kind of damage refused with IndexFormatError."""

from __future__ import annotations

import contextlib
import hashlib
import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching_support import as_pairs, near_queries, random_hashes

from sentinelle.matching import (
    BruteForceIndex,
    ExactHashIndex,
    IndexFormatError,
    MatchingError,
    MultiIndexHashIndex,
)
from sentinelle.matching.storage import DIGEST_SIZE, HEADER, MAGIC, IndexKind, write_index

Loader = Callable[[Path], object]


def small_files(tmp_path: Path) -> dict[str, tuple[Path, Loader]]:
    rng = np.random.default_rng(21)
    hashes = random_hashes(rng, 40)
    ids = np.arange(40, dtype=np.int64)
    brute = BruteForceIndex.build(ids, hashes)
    mih = MultiIndexHashIndex.build(ids[:30], hashes[:30], chunks=32)
    mih.add(ids[30:], hashes[30:])
    mih.remove([3, 35])
    exact = ExactHashIndex.build("md5", ids, hashes[:, :16])
    exact.add([99], hashes[:1, :16])
    exact.remove([5])
    files: dict[str, tuple[Path, Loader]] = {}
    for name, index, loader in (
        ("brute", brute, BruteForceIndex.load),
        ("mih", mih, MultiIndexHashIndex.load),
        ("exact", exact, ExactHashIndex.load),
    ):
        path = tmp_path / f"{name}.sntl"
        index.save(path)
        files[name] = (path, loader)
    return files


@pytest.mark.parametrize("use_mmap", [True, False])
def test_near_indexes_round_trip(tmp_path: Path, use_mmap: bool) -> None:
    rng = np.random.default_rng(22)
    hashes = random_hashes(rng, 3000)
    ids = rng.integers(0, 1000, 3000).astype(np.int64)
    mih = MultiIndexHashIndex.build(ids[:2000], hashes[:2000], delta_limit=5000)
    mih.add(ids[2000:], hashes[2000:])
    mih.remove(ids[:10])
    mih.save(tmp_path / "mih.sntl")
    loaded = MultiIndexHashIndex.load(tmp_path / "mih.sntl", use_mmap=use_mmap)
    assert len(loaded) == len(mih) and loaded.pending == mih.pending
    assert loaded.chunk_widths == mih.chunk_widths
    queries = near_queries(rng, hashes, 40)
    for threshold in (0, 31, 64):
        assert as_pairs(loaded.query_batch(queries, threshold)) == as_pairs(
            mih.query_batch(queries, threshold)
        )
    # A loaded index keeps working: removals, additions, compaction.
    loaded.remove(ids[10:20])
    loaded.add([5000], hashes[:1])
    loaded.compact()
    assert loaded.pending == (0, 0)
    assert (5000, 0) in loaded.query(hashes[0], 0)
    assert not set(loaded.query_batch(hashes, 0).ids.tolist()) & set(ids[:20].tolist())


def test_saving_over_a_mapped_file_leaves_the_loaded_index_intact(tmp_path: Path) -> None:
    rng = np.random.default_rng(23)
    hashes = random_hashes(rng, 500)
    path = tmp_path / "list.sntl"
    MultiIndexHashIndex.build(np.arange(500), hashes).save(path)
    mapped = MultiIndexHashIndex.load(path)
    MultiIndexHashIndex.build(np.arange(10), hashes[:10]).save(path)
    assert len(mapped) == 500 and mapped.query(hashes[400], 0) == [(400, 0)]
    assert len(MultiIndexHashIndex.load(path)) == 10
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_layout_of_the_header(tmp_path: Path) -> None:
    path, _ = small_files(tmp_path)["brute"]
    data = path.read_bytes()
    magic, version, kind, flags, meta_length, data_offset, length = HEADER.unpack_from(data)
    assert (magic, version, kind, flags) == (b"SNTLIDX\0", 1, IndexKind.BRUTE_PDQ, 0)
    assert length == len(data) and data_offset % 64 == 0 and data_offset >= 64 + meta_length
    assert data[-DIGEST_SIZE:] == hashlib.sha256(data[:-DIGEST_SIZE]).digest()


@pytest.mark.parametrize("kind", ["brute", "mih", "exact"])
def test_every_flipped_byte_is_detected(tmp_path: Path, kind: str) -> None:
    path, loader = small_files(tmp_path)[kind]
    data = path.read_bytes()
    damaged = tmp_path / "damaged.sntl"
    data_offset = HEADER.unpack_from(data)[5]
    step = 1 if len(data) < 5000 else 37  # the MIH file's chunk tables are long: sample them
    positions = sorted(
        {*range(0, data_offset + 64), *range(0, len(data), step), *range(len(data) - 64, len(data))}
    )
    for position in positions:
        copy = bytearray(data)
        copy[position] ^= 0x41
        damaged.write_bytes(copy)
        with pytest.raises(IndexFormatError):
            loader(damaged)


@pytest.mark.parametrize("kind", ["brute", "mih", "exact"])
def test_truncated_files_are_refused(tmp_path: Path, kind: str) -> None:
    path, loader = small_files(tmp_path)[kind]
    data = path.read_bytes()
    for length in (0, 7, 63, 64, 95, 200, len(data) // 2, len(data) - 32, len(data) - 1):
        path.write_bytes(data[:length])
        with pytest.raises(IndexFormatError):
            loader(path)
    path.write_bytes(data + b"\0")
    with pytest.raises(IndexFormatError, match="header says"):
        loader(path)


def rewrite_header(path: Path, **fields: int | bytes) -> None:
    """Change header fields and recompute the checksum, as a careless writer would."""
    data = bytearray(path.read_bytes())
    values = dict(
        zip(
            ("magic", "version", "kind", "flags", "meta_length", "data_offset", "length"),
            HEADER.unpack_from(data),
            strict=True,
        )
    )
    values.update(fields)
    HEADER.pack_into(data, 0, *values.values())
    data[-DIGEST_SIZE:] = hashlib.sha256(bytes(data[:-DIGEST_SIZE])).digest()
    path.write_bytes(bytes(data))


def test_wrong_magic_future_version_and_wrong_kind(tmp_path: Path) -> None:
    files = small_files(tmp_path)
    path, loader = files["mih"]
    rewrite_header(path, magic=b"PK\3\4\0\0\0\0")
    with pytest.raises(IndexFormatError, match="not a sentinelle index"):
        loader(path)
    rewrite_header(path, magic=MAGIC, version=2)
    with pytest.raises(IndexFormatError, match="newer"):
        loader(path)
    with pytest.raises(IndexFormatError, match="expected MIH_PDQ"):
        MultiIndexHashIndex.load(files["brute"][0])
    with pytest.raises(IndexFormatError):
        BruteForceIndex.load(files["exact"][0])
    (tmp_path / "text.sntl").write_text("md5,0123456789abcdef0123456789abcdef\n" * 10)
    with pytest.raises(IndexFormatError):
        ExactHashIndex.load(tmp_path / "text.sntl")


def test_errors_belong_to_the_matching_hierarchy() -> None:
    from sentinelle.exceptions import SentinelleError

    assert issubclass(IndexFormatError, MatchingError)
    assert issubclass(MatchingError, SentinelleError)


def test_unchecked_load_still_refuses_tables_pointing_outside_the_rows(tmp_path: Path) -> None:
    """Skipping the checksum must never let a crafted file steer the kernels out of bounds."""
    rng = np.random.default_rng(24)
    good = MultiIndexHashIndex.build(np.arange(100), random_hashes(rng, 100), chunks=32)
    path = tmp_path / "crafted.sntl"
    good.save(path)
    main = good._main
    arrays = {
        "words": main.words,
        "ids": main.ids,
        "dead": main.dead,
        "offsets": main.offsets,
        "postings": main.postings.copy(),
        "delta_words": np.empty((0, 4), np.uint64),
        "delta_ids": np.empty(0, np.int64),
    }
    params = {"chunk_widths": list(main.layout.widths), "chunks": 32, "delta_limit": 10}
    arrays["postings"][5, 7] = 100
    write_index(path, IndexKind.MIH_PDQ, params, arrays)
    with pytest.raises(IndexFormatError, match="postings"):
        MultiIndexHashIndex.load(path, verify=False)
    arrays["postings"][5, 7] = 0
    offsets = main.offsets.copy()
    offsets[300] = 7000
    write_index(path, IndexKind.MIH_PDQ, params, {**arrays, "offsets": offsets})
    with pytest.raises(IndexFormatError, match="offsets"):
        MultiIndexHashIndex.load(path, verify=False)
    write_index(path, IndexKind.MIH_PDQ, {**params, "chunk_widths": [16] * 16}, arrays)
    with pytest.raises(IndexFormatError):
        MultiIndexHashIndex.load(path, verify=False)
    write_index(path, IndexKind.MIH_PDQ, params, {**arrays, "ids": main.ids[::-1].copy()})
    with pytest.raises(IndexFormatError, match="sorted"):
        MultiIndexHashIndex.load(path, verify=False)
    del arrays["dead"]
    write_index(path, IndexKind.MIH_PDQ, params, arrays)
    with pytest.raises(IndexFormatError, match="missing section"):
        MultiIndexHashIndex.load(path, verify=False)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_damage_in_the_metadata_is_refused_even_unchecked(
    tmp_path: Path, data: st.DataObject
) -> None:
    path, _ = small_files(tmp_path)["brute"]
    raw = bytearray(path.read_bytes())
    meta_length = struct.unpack_from("<Q", raw, 16)[0]
    position = data.draw(st.integers(64, 64 + meta_length - 1))
    raw[position] = data.draw(st.integers(0, 255).filter(lambda b: b != raw[position]))
    path.write_bytes(bytes(raw))
    with pytest.raises(IndexFormatError):
        BruteForceIndex.load(path)
    with contextlib.suppress(IndexFormatError):  # may load: the damage can be harmless
        BruteForceIndex.load(path, verify=False)
