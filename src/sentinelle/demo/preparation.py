"""What an operator would set up before the first crawl, done for the demo.

* the database schema (``sentinelle migrate``);
* the sandbox's known list, in two stored lists: most of it ``verified`` (analysts confirmed
  those hashes: matches are noticed at once) and a few originals ``unverified`` (their
  matches wait for an analyst);
* the CDN in the provider directory (kind ``cdn``, its network and origin-disclosure URL);
* a hotline per country the providers are in, where escalations go.

Everything is written by ``system:demo`` and audited like any operator's change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.core.management import call_command

from sentinelle.attribution.providers import add_network, create_provider, set_contact
from sentinelle.audit.services import Actor
from sentinelle.banks.services import import_list
from sentinelle.lists import HashList
from sentinelle.notices.hotlines import set_hotline
from sentinelle.sandbox import Sandbox, known_list

ACTOR: Final = Actor.system("demo")
#: Every this-many-th listed original goes on the unverified list.
UNVERIFIED_EVERY: Final = 5


@dataclass(frozen=True)
class Prepared:
    verified: str
    unverified: str
    verified_hashes: int
    unverified_hashes: int
    hotlines: tuple[str, ...]


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)


def prepare(sandbox: Sandbox) -> Prepared:
    world = sandbox.world
    known = known_list(world, sandbox.images)
    ids = sorted({entry.id for entry in known.entries if entry.id})
    held_back = set(ids[UNVERIFIED_EVERY - 1 :: UNVERIFIED_EVERY])
    source = f"sentinelle sandbox, seed {world.seed} (benign generated pictures)"
    verified = HashList(f"demo-{world.seed}-verified", [e for e in known.entries if e.id not in held_back],
                        verified=True, source=source)
    unverified = HashList(f"demo-{world.seed}-unverified", [e for e in known.entries if e.id in held_back],
                          verified=False, source=source)
    for hashes in (verified, unverified):
        import_list(hashes, actor=ACTOR, details={"demo": True})
    _register_cdn(sandbox)
    countries = sorted({provider.country for provider in world.providers})
    for country in countries:
        set_hotline(country, name=f"Sandbox hotline {country}", email=f"reports@hotline-{country.lower()}.test",
                    actor=ACTOR, note="invented for the demo")
    return Prepared(verified.name, unverified.name, len(verified.entries), len(unverified.entries),
                    tuple(countries))


def _register_cdn(sandbox: Sandbox) -> None:
    cdn = sandbox.cdn
    create_provider(cdn.slug, cdn.name, actor=ACTOR, kind="cdn", countries=cdn.country,
                    origin_lookup=f"{sandbox.cdn_origin_url}?url={{url}}", notes="the sandbox's CDN")
    add_network(cdn.slug, actor=ACTOR, cidr=str(cdn.network))
    set_contact(cdn.slug, cdn.abuse_email, actor=ACTOR, preferred=True)
