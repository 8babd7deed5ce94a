"""``build_world``: a whole sandbox world from a seed, the same every time for the same seed."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import replace

from sentinelle.sandbox.allocation import MIN_IMAGES, MediaCounts, allocate_media
from sentinelle.sandbox.construct_pages import build_construct_pages
from sentinelle.sandbox.constructs import Construct
from sentinelle.sandbox.exceptions import WorldConfigError
from sentinelle.sandbox.internet_plan import build_internet
from sentinelle.sandbox.layout import LayoutBuilder
from sentinelle.sandbox.model import (
    HostileSettings,
    Location,
    Page,
    PageKind,
    Placement,
    World,
    Writing,
)
from sentinelle.sandbox.names import COUNTRIES, PROVIDER_NAMES, SITE_WORDS, TRAP_WORD, slug
from sentinelle.sandbox.providers import (
    DEFAULT_POLICIES,
    FIRST_ASN,
    MAX_PROVIDERS,
    MAX_SITES_PER_PROVIDER,
    Provider,
    Site,
    SiteRole,
    TakedownPolicy,
    provider_abuse_style,
    provider_language,
    provider_network,
    site_address,
)
from sentinelle.sandbox.traps import hostile_cases, loop_redirects

#: Default number of images per ordinary site (sites = max(2 x providers, images / this)).
IMAGES_PER_SITE = 150


def _providers(
    rng: random.Random, count: int, policies: Sequence[TakedownPolicy]
) -> tuple[Provider, ...]:
    names = list(PROVIDER_NAMES)
    rng.shuffle(names)
    countries = list(COUNTRIES)
    rng.shuffle(countries)
    providers = []
    for index in range(count):
        name = names[index % len(names)]
        if index >= len(names):
            name = f"{name} {index // len(names) + 1}"
        key = slug(name)
        providers.append(
            Provider(
                index=index,
                slug=key,
                name=name,
                asn=FIRST_ASN + index,
                country=countries[index % len(countries)],
                abuse_email=f"abuse@{key}.test",
                network=provider_network(index),
                policy=policies[index % len(policies)],
                gone_status=404 if index % 2 == 0 else 410,
                language=provider_language(index),
                abuse_style=provider_abuse_style(index),
            )
        )
    return tuple(providers)


def _sites(rng: random.Random, providers: Sequence[Provider], count: int) -> list[Site]:
    words = list(SITE_WORDS)
    rng.shuffle(words)
    sites = []
    for index in range(count + 1):
        provider = providers[index % len(providers)]
        address = site_address(provider.network, index // len(providers))
        if index < count:
            host, role = f"www.{words[index % len(words)]}-{index + 1}.example", SiteRole.ORDINARY
        else:
            host, role = f"www.{TRAP_WORD}-{index + 1}.example", SiteRole.TRAPS
        sites.append(Site(index, host, address, provider.slug, role))
    return sites


def _check(images: int, providers: int, sites: int) -> None:
    if images < MIN_IMAGES:
        raise WorldConfigError(f"a world needs at least {MIN_IMAGES} images, not {images}")
    if not 1 <= providers <= MAX_PROVIDERS:
        raise WorldConfigError(f"providers must be 1 to {MAX_PROVIDERS}, not {providers}")
    if sites < 1:
        raise WorldConfigError(f"a world needs at least one site, not {sites}")
    if math.ceil((sites + 1) / providers) > MAX_SITES_PER_PROVIDER:
        raise WorldConfigError(
            f"{sites} sites do not fit in {providers} providers' ranges "
            f"({MAX_SITES_PER_PROVIDER} sites each)"
        )


def build_world(
    seed: int,
    *,
    images: int = 200,
    providers: int = 4,
    sites: int | None = None,
    policies: Sequence[TakedownPolicy] = DEFAULT_POLICIES,
    settings: HostileSettings | None = None,
) -> World:
    """A world of exactly ``images`` distinct images over ``providers`` providers.

    ``sites`` is the number of ordinary sites (default: twice the providers, or one per
    150 images if more); one more site serves the hostile cases. Provider ``i`` gets
    ``policies[i % len(policies)]``. Raises :class:`WorldConfigError` for impossible sizes.
    """
    site_count = (
        sites if sites is not None else max(2 * providers, math.ceil(images / IMAGES_PER_SITE))
    )
    _check(images, providers, site_count)
    if not policies:
        raise WorldConfigError("give at least one takedown policy")
    rng = random.Random(f"sandbox-world:{seed}")
    provider_list = _providers(rng, providers, policies)
    all_sites = _sites(rng, provider_list, site_count)
    ordinary, trap = all_sites[:-1], all_sites[-1]
    counts = MediaCounts.for_total(images)
    media = allocate_media(seed, counts, rng)
    builder = LayoutBuilder(seed, ordinary, media, rng)
    build_construct_pages(builder)
    builder.build_galleries(counts.thumbnails)
    builder.build_listings()
    hostile = hostile_cases(trap.host)
    bait = media[0]
    bait_location = builder.serve(
        Location(trap.host, f"/media/{bait.token}{bait.format.extension}"), bait
    )
    trap_home = Location(trap.host, "/")
    bait_placement = Placement(
        bait.id,
        Construct.IMG_SRC,
        "trap-bait",
        Writing.ROOT_RELATIVE,
        trap_home,
        trap_home,
        bait_location,
        bait_location,
        bait.format.content_type,
    )
    indexes = []
    for position, site in enumerate(all_sites):
        home = Location(site.host, "/")
        following = Location(all_sites[(position + 1) % len(all_sites)].host, "/")
        if site is trap:
            links = (*(case.location for case in hostile), following)
            indexes.append(
                Page(home, PageKind.TRAP, site.host, placements=(bait_placement,), links=links)
            )
        else:
            links = (*builder.links[site.host], following)
            indexes.append(Page(home, PageKind.INDEX, site.host, links=links))
    return World(
        seed=seed,
        providers=provider_list,
        sites=tuple(all_sites),
        media=tuple(media),
        pages=(*indexes, *builder.pages),
        stylesheets=tuple(builder.stylesheets),
        redirects=(*builder.redirects, *loop_redirects(trap.host)),
        served=tuple(builder.served.values()),
        hostile=hostile,
        internet=build_internet(seed, provider_list, all_sites, media),
        settings=settings or HostileSettings(),
    )


def with_policies(world: World, policies: dict[str, TakedownPolicy]) -> World:
    """The same world with some providers' takedown policies changed (by slug)."""
    changed = tuple(replace(p, policy=policies.get(p.slug, p.policy)) for p in world.providers)
    return replace(world, providers=changed)
