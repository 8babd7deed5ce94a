"""How the internet around a world is laid out: who holds which range, in which registry.

Provider networks are /24s; the /23 around each is an upstream block, held by an
upstream transit organisation. Block ``k`` (in provider order) is registered with
``north``, ``south`` or ``east`` for ``k % 3``; ``east`` starts down. The CDN and
the registries' own infrastructure have ranges of their own, past the providers'.
Names come from a random generator of their own, so the rest of the world is the
same as without them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from ipaddress import IPv4Network
from typing import Final

from sentinelle.sandbox.fronted import build_fronted_site
from sentinelle.sandbox.internet import (
    Cdn,
    Domain,
    Internet,
    Network,
    Organisation,
    OrgKind,
    Registry,
)
from sentinelle.sandbox.model import Media
from sentinelle.sandbox.names import (
    CDN_NAMES,
    COUNTRIES,
    FRONTED_WORDS,
    REGISTRAR_NAMES,
    UPSTREAM_NAMES,
    slug,
)
from sentinelle.sandbox.providers import ORIGIN_HOST, Provider, Site, SiteRole

#: The registries' own range (bootstrap at .1, regional registries from .2).
INFRASTRUCTURE: Final = IPv4Network("127.127.0.0/24")
#: The CDN's range (abuse desk at .2, edge at .10).
CDN_NETWORK: Final = IPv4Network("127.126.0.0/24")
CDN_ASN: Final = 64496
REGISTRY_ASN: Final = 64497
FIRST_UPSTREAM_ASN: Final = 4_200_000_000
#: Prefix length of an upstream block.
UPSTREAM_PREFIX: Final = 23
#: Regional registries, in the order blocks are given to them.
REGISTRIES: Final = (
    ("north", "North Internet Registry"),
    ("south", "South Internet Registry"),
    ("east", "East Internet Registry"),
)
DOWN_REGISTRY: Final = "east"
DOMAIN_REGISTRY: Final = "north"
CDN_REGISTRY: Final = "south"
INFRASTRUCTURE_REGISTRY: Final = "north"
FIRST_REGISTRAR_ID: Final = 9001


def _numbered(names: Sequence[str], number: int) -> str:
    name = names[number % len(names)]
    return name if number < len(names) else f"{name} {number // len(names) + 1}"


def _upstreams(
    rng: random.Random, providers: Sequence[Provider]
) -> tuple[list[Organisation], list[Network]]:
    names = list(UPSTREAM_NAMES)
    rng.shuffle(names)
    countries = list(COUNTRIES)
    rng.shuffle(countries)
    organisations: list[Organisation] = []
    networks: list[Network] = []
    blocks: dict[IPv4Network, Organisation] = {}
    for provider in providers:
        block = provider.network.supernet(new_prefix=UPSTREAM_PREFIX)
        upstream = blocks.get(block)
        if upstream is None:
            number = len(blocks)
            name = _numbered(names, number)
            upstream = Organisation(
                slug=slug(name),
                name=name,
                kind=OrgKind.UPSTREAM,
                registry=REGISTRIES[number % len(REGISTRIES)][0],
                country=countries[number % len(countries)],
                language="fr" if number % 2 else "en",
                asn=FIRST_UPSTREAM_ASN + number,
            )
            blocks[block] = upstream
            organisations.append(upstream)
            networks.append(
                Network(
                    block,
                    f"{upstream.slug.upper()}-BLOCK",
                    upstream.slug,
                    upstream.registry,
                    "ALLOCATED PA",
                    FIRST_UPSTREAM_ASN + number,
                )
            )
        organisations.append(
            Organisation(
                slug=provider.slug,
                name=provider.name,
                kind=OrgKind.PROVIDER,
                registry=upstream.registry,
                country=provider.country,
                language=provider.language,
                asn=provider.asn,
                abuse_style=provider.abuse_style,
            )
        )
        networks.append(
            Network(
                provider.network,
                f"{provider.slug.upper()}-NET",
                provider.slug,
                upstream.registry,
                "ASSIGNED PA",
                provider.asn,
                parent=block,
            )
        )
    return organisations, networks


def _cdn(
    rng: random.Random, providers: Sequence[Provider], sites: int, media: Sequence[Media], seed: int
) -> tuple[Organisation, Network, Cdn]:
    name = rng.choice(CDN_NAMES)
    country = rng.choice(COUNTRIES)
    word = rng.choice(FRONTED_WORDS)
    organisation = Organisation(slug(name), name, OrgKind.CDN, CDN_REGISTRY, country, "en", CDN_ASN)
    network = Network(
        CDN_NETWORK,
        f"{organisation.slug.upper()}-EDGE",
        organisation.slug,
        CDN_REGISTRY,
        "ASSIGNED PI",
        CDN_ASN,
    )
    origin = providers[1] if len(providers) > 1 else providers[0]
    site = Site(
        sites,
        f"www.{word}.example",
        origin.network.network_address + ORIGIN_HOST,
        origin.slug,
        SiteRole.FRONTED,
    )
    cdn = Cdn(
        organisation.slug,
        name,
        CDN_ASN,
        country,
        CDN_NETWORK,
        CDN_REGISTRY,
        (build_fronted_site(seed, site, media),),
    )
    return organisation, network, cdn


def build_internet(
    seed: int, providers: Sequence[Provider], sites: Sequence[Site], media: Sequence[Media]
) -> Internet:
    rng = random.Random(f"sandbox-internet:{seed}")
    organisations, networks = _upstreams(rng, providers)
    cdn_organisation, cdn_network, cdn = _cdn(rng, providers, len(sites), media, seed)
    registrars = [
        Organisation(
            slug(name),
            name,
            OrgKind.REGISTRAR,
            DOMAIN_REGISTRY,
            rng.choice(COUNTRIES),
            "en",
            iana_id=FIRST_REGISTRAR_ID + number,
        )
        for number, name in enumerate(REGISTRAR_NAMES)
    ]
    registries = Organisation(
        "sandbox-registries",
        "Sandbox Internet Registries",
        OrgKind.REGISTRY,
        INFRASTRUCTURE_REGISTRY,
        "ZZ",
        "en",
        REGISTRY_ASN,
    )
    infrastructure = Network(
        INFRASTRUCTURE,
        "SANDBOX-RDAP",
        registries.slug,
        INFRASTRUCTURE_REGISTRY,
        "ASSIGNED PI",
        REGISTRY_ASN,
    )
    hosts = [site.host for site in sites] + [f.site.host for f in cdn.fronted]
    domains = tuple(
        Domain(
            host.removeprefix("www."), host, registrars[n % len(registrars)].slug, DOMAIN_REGISTRY
        )
        for n, host in enumerate(hosts)
    )
    return Internet(
        seed=seed,
        bootstrap_ip=INFRASTRUCTURE.network_address + 1,
        registries=tuple(
            Registry(
                name,
                title,
                INFRASTRUCTURE.network_address + 2 + number,
                holds_domains=name == DOMAIN_REGISTRY,
                starts_up=name != DOWN_REGISTRY,
            )
            for number, (name, title) in enumerate(REGISTRIES)
        ),
        organisations=(*organisations, cdn_organisation, registries, *registrars),
        networks=(*networks, cdn_network, infrastructure),
        domains=domains,
        cdn=cdn,
    )
