"""The ground truth: every page, image URL and hostile case, and what a crawler should find.

One JSON object per line, each with a ``type``: ``world``, ``provider``,
``site``, ``media``, ``page``, ``redirect``, ``placement``, ``hostile``, then the
attribution truth: ``rdap``, ``network``, ``cdn``, ``fronted-site``, ``domain``,
``fronted-page``, ``fronted-placement`` (see docs/sandbox.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from sentinelle.sandbox.internet_manifest import internet_records, provider_fields
from sentinelle.sandbox.knownlist import source_list_id
from sentinelle.sandbox.model import Location, Media, Page, Placement, World


def _url(location: Location | None, port: int) -> str | None:
    return None if location is None else location.url(port)


def _media(world: World, media: Media) -> dict[str, Any]:
    return {
        "type": "media",
        "id": media.id,
        "kind": str(media.kind),
        "format": str(media.format),
        "width": media.width,
        "height": media.height,
        "transform": None if media.transform is None else str(media.transform),
        "detail": media.detail or None,
        "source": media.source,
        "category": media.category,
        "expected": str(media.expected),
        "dihedral": media.dihedral,
        "list_id": source_list_id(world, media),
    }


def _page(page: Page, port: int, kind: str = "page") -> dict[str, Any]:
    return {
        "type": kind,
        "url": page.location.url(port),
        "kind": str(page.kind),
        "construct": None if page.construct is None else str(page.construct),
        "detail": page.detail or None,
        "links": [link.url(port) for link in page.links],
    }


def _placement(
    world: World, placement: Placement, port: int, kind: str = "placement"
) -> dict[str, Any]:
    media = world.media[placement.media]
    return {
        "type": kind,
        "media": media.id,
        "construct": str(placement.construct),
        "detail": placement.detail,
        "writing": str(placement.writing),
        "page": placement.page.url(port),
        "document": placement.document.url(port),
        "request": _url(placement.request, port),
        "final": _url(placement.final, port),
        "redirects": list(placement.hops),
        "content_type": placement.content_type,
        "kind": str(media.kind),
        "expected": str(media.expected),
        "list_id": source_list_id(world, media),
    }


def manifest_records(world: World, port: int) -> Iterator[dict[str, Any]]:
    yield {
        "type": "world",
        "seed": world.seed,
        "images": len(world.media),
        "port": port,
        "providers": len(world.providers),
        "sites": len(world.sites),
        "start": [location.url(port) for location in world.start_pages],
    }
    for p in world.providers:
        yield {
            "type": "provider",
            "slug": p.slug,
            "name": p.name,
            "asn": p.asn,
            "country": p.country,
            "abuse_email": p.abuse_email,
            "network": str(p.network),
            "control_host": p.control_host,
            "control_ip": str(p.control_ip),
            "policy": str(p.policy),
            "gone_status": p.gone_status,
            **provider_fields(world, p),
        }
    for site in world.sites:
        yield {
            "type": "site",
            "host": site.host,
            "ip": str(site.ip),
            "provider": site.provider,
            "role": str(site.role),
            "url": Location(site.host, "/").url(port),
        }
    for media in world.media:
        yield _media(world, media)
    for page in world.pages:
        yield _page(page, port)
    for redirect in world.redirects:
        yield {
            "type": "redirect",
            "url": redirect.location.url(port),
            "status": redirect.status,
            "target": redirect.target.url(port),
        }
    for placement in world.placements():
        yield _placement(world, placement, port)
    for hostile in world.hostile:
        yield {
            "type": "hostile",
            "case": str(hostile.case),
            "url": hostile.location.url(port),
            "description": hostile.description,
        }
    yield from internet_records(world, port)
    for fronted in world.internet.cdn.fronted:
        for page in fronted.pages:
            yield _page(page, port, "fronted-page")
        for page in fronted.pages:
            for placement in page.placements:
                yield _placement(world, placement, port, "fronted-placement")


def write_manifest(world: World, port: int, path: str | os.PathLike[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        for record in manifest_records(world, port):
            stream.write(json.dumps(record, separators=(",", ":")) + "\n")
