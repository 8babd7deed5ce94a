"""Scanning bytes and files: the fast path screens, the reference path decides."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from sentinelle.engine.matcher import Matcher
from sentinelle.engine.scan import ScanSettings, scan_bytes, scan_file
from sentinelle.hashing import DecodeLimits, PdqPath, fast_pdq, reference_pdq_of
from sentinelle.lists import HashList, ListEntry
from support.pictures import distance, draw_picture, encode, flip_bits

FAST = ScanSettings(fast=True)
REFERENCE = ScanSettings(fast=False)


def _verdicts(data: bytes, matcher: Matcher, settings: ScanSettings) -> list[tuple[str, str, int]]:
    _, matches = scan_bytes(data, matcher, settings)
    return sorted((m.list, m.signal_type, m.distance) for m in matches)


def test_a_match_is_reported_with_the_reference_value() -> None:
    data = encode(draw_picture(10), quality=80)
    listed = reference_pdq_of(data).hash
    matcher = Matcher([HashList("known", [ListEntry("pdq", listed)])])
    media, matches = scan_bytes(data, matcher, FAST)
    assert media.pdq is not None and media.pdq.path is PdqPath.REFERENCE
    assert media.pdq.hash == listed and [m.distance for m in matches] == [0]


def test_a_file_that_matches_nothing_keeps_its_fast_value() -> None:
    data = encode(draw_picture(11))
    matcher = Matcher([HashList("known", [ListEntry("pdq", flip_bits(reference_pdq_of(data).hash, 120))])])
    media, matches = scan_bytes(data, matcher, FAST)
    assert matches == [] and media.pdq is not None and media.pdq.path is PdqPath.FAST


@pytest.mark.parametrize("flipped", [29, 30, 31, 32, 33])
def test_speed_never_changes_a_verdict_at_the_threshold(flipped: int) -> None:
    # A listed hash exactly at, just inside and just outside the threshold from the
    # reference value of a JPEG whose fast value drifts from its reference value.
    image = draw_picture(12, (1920, 1080))
    data = encode(image, quality=72)
    reference = reference_pdq_of(data).hash
    listed = flip_bits(reference, flipped, seed=flipped)
    matcher = Matcher([HashList("edge", [ListEntry("pdq", listed)])])
    fast_value = fast_pdq(data).hash
    assert fast_value != reference or flipped  # the test is meaningful when values may differ
    assert _verdicts(data, matcher, FAST) == _verdicts(data, matcher, REFERENCE)
    assert bool(_verdicts(data, matcher, FAST)) == (flipped <= 31)
    assert distance(listed, reference) == flipped


def test_fast_and_reference_scans_agree_on_many_variants() -> None:
    originals = [draw_picture(seed) for seed in range(20, 26)]
    listed = [ListEntry("pdq", reference_pdq_of(encode(o)).hash, id=str(i)) for i, o in enumerate(originals)]
    matcher = Matcher([HashList("known", listed)])
    variants = []
    for original in originals:
        variants += [
            encode(original.resize((200, 150)), quality=70),
            encode(original.transpose(Image.Transpose.ROTATE_270), quality=90),
            encode(original.crop((20, 10, 460, 350)), quality=85),
            encode(original, "PNG"),
            encode(original.convert("L"), quality=95),
        ]
    distractors = [encode(draw_picture(seed)) for seed in range(100, 110)]
    found = []
    for data in variants + distractors:
        fast, reference = _verdicts(data, matcher, FAST), _verdicts(data, matcher, REFERENCE)
        assert fast == reference
        found.append(bool(fast))
    assert sum(found[: len(variants)]) >= 20  # most altered copies are found...
    assert not any(found[len(variants) :])  # ...and no distractor is


def test_low_quality_pictures_are_never_near_matched() -> None:
    flat = Image.new("RGB", (300, 300), (120, 130, 140))
    data = encode(flat, "PNG")
    pdq = reference_pdq_of(data)
    assert pdq.quality < 50
    matcher = Matcher([HashList("known", [ListEntry("pdq", pdq.hash)])])
    for settings in (FAST, REFERENCE):
        _, matches = scan_bytes(data, matcher, settings)
        assert matches == []


def test_bad_files_are_reported_and_keep_their_digests(tmp_path: Path) -> None:
    matcher = Matcher([HashList("known", [ListEntry("md5", "0" * 32)])])
    (tmp_path / "text.jpg").write_bytes(b"hello")
    (tmp_path / "big.jpg").write_bytes(b"x" * 2000)
    settings = ScanSettings(limits=DecodeLimits(max_bytes=1000))
    text = scan_file(tmp_path / "text.jpg", matcher, settings).as_dict()
    assert text["error"] == {"kind": "unsupported", "reason": "not an image in a supported format"}
    assert text["md5"] == "5d41402abc4b2a76b9719d911017c592" and text["pdq"] is None
    big = scan_file(tmp_path / "big.jpg", matcher, settings).as_dict()
    assert big["error"]["kind"] == "too-large" and big["size"] == 2000 and big["md5"] is None  # type: ignore[index]
    missing = scan_file(tmp_path / "nope.jpg", matcher, settings).as_dict()
    assert missing["error"]["kind"] == "not-found"  # type: ignore[index]
