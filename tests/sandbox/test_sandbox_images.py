"""The images: distinct bytes, honest formats, the known list, and PDQ distances that make
copies and variants match and distractors not."""

from __future__ import annotations

import hashlib
import io
import time

import pytest
from PIL import Image
from sandbox_support import fetch

from sentinelle.hashing import PdqSignal, reference_pdq_of
from sentinelle.sandbox import (
    Expectation,
    ImageStore,
    MediaKind,
    Sandbox,
    World,
    build_world,
    known_list,
    list_id,
)

THRESHOLD = PdqSignal.default_threshold


def distance(a: str, b: str) -> int:
    return PdqSignal.distance(a, b)


def _served(sandbox: Sandbox, world: World, media_id: int) -> bytes:
    """The bytes of an image fetched over HTTP from its first placement's final URL."""
    placement = next(p for p in world.placements() if p.media == media_id and p.final)
    assert placement.final is not None
    answer = fetch(sandbox.resolver, sandbox.url(placement.final))
    assert answer.status == 200
    return answer.body


@pytest.fixture(scope="module")
def pdq(sandbox: Sandbox, world: World) -> dict[int, tuple[str, tuple[str, ...], int]]:
    """Reference PDQ (hash, dihedral hashes, quality) of every image as served."""
    table = {}
    for media in world.media:
        value = reference_pdq_of(_served(sandbox, world, media.id), dihedral=True)
        table[media.id] = (value.hash, value.dihedral, value.quality)
    return table


def test_known_list_holds_the_reference_hashes_of_the_served_originals(
    sandbox: Sandbox, world: World
) -> None:
    listed = known_list(world, sandbox.images)
    assert listed.verified and listed.name == f"sandbox-{world.seed}-known"
    originals = world.known_originals
    assert len(listed.entries) == 2 * len(originals)
    by_id = {(e.id, e.signal_type): e for e in listed.entries}
    for media in originals:
        data = _served(sandbox, world, media.id)
        entry_id = list_id(world, media)
        assert by_id[entry_id, "pdq"].hash == reference_pdq_of(data).hash
        assert by_id[entry_id, "md5"].hash == hashlib.md5(data).hexdigest()
        assert listed.category_of(by_id[entry_id, "pdq"]) == media.category


def test_listed_pictures_are_good_enough_to_match(
    world: World, pdq: dict[int, tuple[str, tuple[str, ...], int]]
) -> None:
    for media in world.media:
        if media.kind is not MediaKind.DISTRACTOR:
            assert pdq[media.id][2] >= PdqSignal.min_quality, media


def test_variants_are_within_the_threshold_of_their_originals(
    world: World, pdq: dict[int, tuple[str, tuple[str, ...], int]]
) -> None:
    variants = [m for m in world.media if m.kind is MediaKind.KNOWN_VARIANT]
    assert variants
    for variant in variants:
        original = pdq[variant.picture][0]
        plain, turned, _ = pdq[variant.id]
        best = (
            min(distance(original, h) for h in turned)
            if variant.dihedral
            else distance(original, plain)
        )
        assert best <= THRESHOLD, (variant, best)
        assert variant.expected is Expectation.NEAR
        if variant.dihedral and variant.detail != "rotate-180":
            assert distance(original, plain) > THRESHOLD  # only the dihedral hashes find it


def test_exact_copies_and_distractors(
    sandbox: Sandbox, world: World, pdq: dict[int, tuple[str, tuple[str, ...], int]]
) -> None:
    originals = [pdq[m.id][0] for m in world.known_originals]
    for media in world.media:
        if media.kind is MediaKind.KNOWN_COPY:
            assert media.expected is Expectation.EXACT
        if media.kind is MediaKind.DISTRACTOR:
            assert media.expected is Expectation.NONE
            closest = min(distance(o, h) for o in originals for h in pdq[media.id][1])
            assert closest > THRESHOLD, (media, closest)


def test_every_image_has_its_own_bytes_and_an_honest_format(world: World) -> None:
    store = ImageStore(build_world(world.seed + 1, images=300))
    bigger = build_world(world.seed + 1, images=300)
    digests = set()
    for media in bigger.media:
        data = store.bytes_of(media.id)
        digests.add(hashlib.md5(data).hexdigest())
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == media.format.name
            assert image.size == (media.width, media.height)
    assert len(digests) == len(bigger.media)


def test_images_are_made_fast_and_cached() -> None:
    world = build_world(11, images=400)
    store = ImageStore(world, cache_size=4096)
    started = time.process_time()
    for media in world.media:
        store.bytes_of(media.id)
    elapsed = time.process_time() - started
    assert elapsed / len(world.media) < 0.025  # ~3 ms here: 10,000 images in ~30 s
    again = time.process_time()
    for media in world.media:
        store.bytes_of(media.id)
    assert time.process_time() - again < 0.05


def test_same_seed_same_bytes_in_a_fresh_store(world: World, sandbox: Sandbox) -> None:
    fresh = ImageStore(build_world(world.seed, images=len(world.media)))
    assert all(fresh.bytes_of(m.id) == sandbox.images.bytes_of(m.id) for m in world.media)


def test_variants_of_a_bigger_world_stay_within_the_threshold() -> None:
    world = build_world(8, images=1500)
    store = ImageStore(world, cache_size=64)
    originals = {m.id: reference_pdq_of(store.bytes_of(m.id)).hash for m in world.known_originals}
    variants = [m for m in world.media if m.kind is MediaKind.KNOWN_VARIANT]
    assert len(variants) > 150
    worst = 0
    for variant in variants:
        value = reference_pdq_of(store.bytes_of(variant.id), dihedral=variant.dihedral)
        hashes = value.dihedral if variant.dihedral else (value.hash,)
        worst = max(worst, min(distance(originals[variant.picture], h) for h in hashes))
    assert worst <= THRESHOLD
