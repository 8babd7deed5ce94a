"""The matcher: exact digests, PDQ by distance with per-list thresholds, dihedral variants."""

from __future__ import annotations

import hashlib

from PIL import Image

from sentinelle.engine.matcher import BRUTE_FORCE_BELOW, Matcher
from sentinelle.hashing import PdqPath, digests, reference_pdq_of
from sentinelle.lists import HashList, ListEntry
from sentinelle.matching import BruteForceIndex, MultiIndexHashIndex
from support.pictures import distance, draw_picture, encode, flip_bits


def test_exact_digests_match_every_list_that_holds_them() -> None:
    data = b"any bytes at all"
    lists = [
        HashList("a", [ListEntry("md5", hashlib.md5(data).hexdigest(), "csam", "a1")]),
        HashList("b", [ListEntry("sha256", hashlib.sha256(data).hexdigest().upper(), None, "b1")],
                 category="harmful-abusive"),
        HashList("c", [ListEntry("sha1", hashlib.sha1(b"other").hexdigest())]),
    ]
    found = Matcher(lists).exact_matches(digests(data))
    assert [(m.list, m.signal_type, m.id, m.category, m.distance) for m in found] == [
        ("a", "md5", "a1", "csam", 0),
        ("b", "sha256", "b1", "harmful-abusive", 0),  # the list's category fills in
    ]


def test_pdq_threshold_is_per_list_and_inclusive() -> None:
    data = encode(draw_picture(1))
    pdq = reference_pdq_of(data)
    at_31, at_32, at_10 = flip_bits(pdq.hash, 31, 1), flip_bits(pdq.hash, 32, 2), flip_bits(pdq.hash, 10, 3)
    lists = [
        HashList("default", [ListEntry("pdq", at_31, id="d31"), ListEntry("pdq", at_32, id="d32")]),
        HashList("strict", [ListEntry("pdq", at_10, id="s10"), ListEntry("pdq", at_31, id="s31")], threshold=10),
    ]
    found = Matcher(lists).near_matches(pdq)
    assert sorted((m.list, m.id, m.distance) for m in found) == [
        ("default", "d31", 31),
        ("strict", "s10", 10),
    ]


def test_rotated_and_mirrored_copies_match_through_dihedral_variants() -> None:
    original = draw_picture(2)
    listed = reference_pdq_of(encode(original)).hash
    matcher = Matcher([HashList("known", [ListEntry("pdq", listed, id="k")])])
    for transpose in (Image.Transpose.ROTATE_90, Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.ROTATE_180):
        copy = reference_pdq_of(encode(original.transpose(transpose)), dihedral=True)
        assert distance(copy.hash, listed) > 31  # the plain hash alone would miss it
        found = matcher.near_matches(copy)
        assert [m.id for m in found] == ["k"], transpose
        assert found[0].transform not in (None, "original")
        assert found[0].distance <= 31
    plain = reference_pdq_of(encode(original.transpose(Image.Transpose.ROTATE_90)))
    assert plain.path is PdqPath.REFERENCE and matcher.near_matches(plain) == []


def test_large_lists_use_the_multi_index_and_small_ones_brute_force() -> None:
    small = Matcher([HashList("s", [ListEntry("pdq", flip_bits("0" * 64, 100, i)) for i in range(10)])])
    assert isinstance(small.near, BruteForceIndex)
    entries = [ListEntry("pdq", flip_bits("0" * 64, 128, i)) for i in range(BRUTE_FORCE_BELOW)]
    big = Matcher([HashList("b", entries)])
    assert isinstance(big.near, MultiIndexHashIndex)
    probe = reference_pdq_of(encode(draw_picture(3)))
    target = flip_bits(probe.hash, 25, 9)
    both = Matcher([HashList("b", [*entries, ListEntry("pdq", target, id="needle")])])
    assert [m.id for m in both.near_matches(probe)] == ["needle"]
