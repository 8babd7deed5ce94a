"""The world description: sizes, providers and ranges, every construct and hostile case."""

from __future__ import annotations

import time
from collections import Counter
from ipaddress import IPv4Network

import pytest

from sentinelle.sandbox import (
    Construct,
    HostileCase,
    MediaKind,
    PolicyAction,
    SiteRole,
    TakedownPolicy,
    Transform,
    World,
    WorldConfigError,
    build_world,
    with_policies,
)
from sentinelle.sandbox.construct_pages import LAZY_ATTRIBUTES, REDIRECT_STATUSES, WRONG_TYPES

RESERVED = (IPv4Network("127.0.0.0/24"), IPv4Network("127.0.1.0/24"))


def test_same_seed_same_world_and_another_seed_another() -> None:
    assert build_world(5, images=80) == build_world(5, images=80)
    assert build_world(5, images=80) != build_world(6, images=80)


@pytest.mark.parametrize("images", [12, 20, 61, 500])
def test_exactly_the_images_asked_for_each_placed_once_at_least(images: int) -> None:
    world = build_world(1, images=images)
    assert len(world.media) == images
    assert [m.id for m in world.media] == list(range(images))
    assert len({m.token for m in world.media}) == images
    assert {p.media for p in world.placements()} == set(range(images))


def test_kinds_and_variants(world: World) -> None:
    kinds = Counter(m.kind for m in world.media)
    assert kinds[MediaKind.KNOWN_COPY] >= 3
    assert kinds[MediaKind.KNOWN_VARIANT] >= 5
    assert kinds[MediaKind.DISTRACTOR] >= 10
    variants = [m for m in world.media if m.kind is MediaKind.KNOWN_VARIANT]
    assert {m.transform for m in variants} >= {
        Transform.REENCODED,
        Transform.RESIZED,
        Transform.MIRRORED,
        Transform.ROTATED,
    }
    for variant in variants:
        original = world.media[variant.picture]
        assert original.kind is MediaKind.KNOWN_COPY
        assert variant.category == original.category
    assert {m.category for m in world.known_originals} == {"csam", "harmful-abusive"}
    for media in world.media:
        if media.kind is MediaKind.DISTRACTOR:
            assert media.category is None
            assert media.source is None or media.transform is Transform.THUMBNAIL


def test_every_construct_and_detail_is_placed(world: World) -> None:
    seen = {(p.construct, p.detail) for p in world.placements()}
    constructs = {construct for construct, _ in seen}
    assert constructs == set(Construct)
    details = {detail for construct, detail in seen if construct is Construct.LAZY}
    assert details == set(LAZY_ATTRIBUTES)
    redirects = {detail for construct, detail in seen if construct is Construct.REDIRECT}
    assert redirects == {*map(str, REDIRECT_STATUSES), "chain", "other-site"}
    types = {detail for construct, detail in seen if construct is Construct.WRONG_TYPE}
    assert types == set(WRONG_TYPES)
    listing = [p for p in world.pages if p.construct is Construct.PAGINATION]
    assert len(listing) >= 3


def test_every_hostile_case_has_a_url_on_the_trap_site(world: World) -> None:
    trap = next(site for site in world.sites if site.role is SiteRole.TRAPS)
    assert {h.case for h in world.hostile} == set(HostileCase)
    assert all(h.location.host == trap.host for h in world.hostile)


def test_providers_and_sites_live_in_their_own_loopback_ranges(world: World) -> None:
    networks = [p.network for p in world.providers]
    assert len(set(networks)) == len(networks) == 4
    for provider in world.providers:
        assert provider.network.prefixlen == 24
        assert provider.network.subnet_of(IPv4Network("127.0.0.0/8"))
        assert not any(provider.network.overlaps(reserved) for reserved in RESERVED)
        assert provider.abuse_email.endswith(".test")
        assert len(provider.country) == 2
        assert provider.control_ip in provider.network
    assert [p.asn for p in world.providers] == [64500, 64501, 64502, 64503]
    assert len({site.ip for site in world.sites}) == len(world.sites)
    for site in world.sites:
        assert site.host.endswith(".example")
        provider = world.provider(site.provider)
        assert site.ip in provider.network
        assert world.provider_of(site.ip) == provider


def test_many_providers_and_sites() -> None:
    world = build_world(2, images=300, providers=250, sites=600)
    assert len({p.network for p in world.providers}) == 250
    assert world.providers[200].network == IPv4Network("127.65.1.0/24")
    assert len({p.slug for p in world.providers}) == 250


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"images": 5}, "at least"),
        ({"providers": 0}, "providers"),
        ({"providers": 1, "sites": 400}, "do not fit"),
        ({"policies": ()}, "policy"),
    ],
)
def test_impossible_worlds_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(WorldConfigError, match=message):
        build_world(1, **options)  # type: ignore[arg-type]


def test_ten_thousand_images_describe_in_well_under_a_second() -> None:
    started = time.process_time()
    world = build_world(3, images=10_000)
    assert time.process_time() - started < 3.0  # CPU seconds; ~0.1 s here
    assert len(world.media) == 10_000
    assert len({p.media for p in world.placements()}) == 10_000
    assert len(world.sites) > 60


def test_policies_can_be_chosen() -> None:
    world = build_world(1, images=20, policies=[TakedownPolicy(PolicyAction.NEVER)])
    assert {p.policy.action for p in world.providers} == {PolicyAction.NEVER}
    first = world.providers[0].slug
    changed = with_policies(world, {first: TakedownPolicy(PolicyAction.DELAYED, 2.0)})
    assert changed.provider(first).policy == TakedownPolicy(PolicyAction.DELAYED, 2.0)
    assert changed.media == world.media
