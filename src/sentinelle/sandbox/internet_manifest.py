"""The ground truth of attribution: who holds each network, in which registry, how each
provider shows its abuse contact, the CDN and the domains (manifest records)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sentinelle.sandbox.cdn import ORIGIN_PATH
from sentinelle.sandbox.internet import Internet, Organisation
from sentinelle.sandbox.model import World
from sentinelle.sandbox.providers import Provider


def _registry_host(internet: Internet, name: str) -> str:
    return internet.registry(name).host


def _upstream(internet: Internet, upstream: Organisation | None) -> dict[str, Any] | None:
    if upstream is None:
        return None
    (block,) = internet.networks_of(upstream.slug)
    return {
        "slug": upstream.slug,
        "name": upstream.name,
        "asn": upstream.asn,
        "country": upstream.country,
        "language": upstream.language,
        "network": str(block.cidr),
        "handle": upstream.handle,
        "abuse_email": upstream.abuse_email,
        "rdap_registry": _registry_host(internet, upstream.registry),
    }


def provider_fields(world: World, provider: Provider) -> dict[str, Any]:
    """What a provider record says about the provider's RDAP face."""
    internet = world.internet
    org = internet.organisation(provider.slug)
    return {
        "language": provider.language,
        "abuse_style": str(provider.abuse_style),
        "technical_email": provider.technical_email,
        "network_handle": internet.networks_of(provider.slug)[0].handle,
        "rdap_registry": _registry_host(internet, org.registry),
        "upstream": _upstream(internet, internet.upstream_of(provider.slug)),
    }


def internet_records(world: World, port: int) -> Iterator[dict[str, Any]]:
    """``rdap``, ``network``, ``cdn``, ``fronted-site`` and ``domain`` records."""
    internet = world.internet
    yield {
        "type": "rdap",
        "bootstrap": f"http://{internet.bootstrap_host}:{port}/",
        "registries": [
            {
                "name": r.name,
                "host": r.host,
                "ip": str(r.ip),
                "url": f"http://{r.host}:{port}/",
                "tag": r.tag,
                "domains": r.holds_domains,
                "starts_up": r.starts_up,
            }
            for r in internet.registries
        ],
    }
    for network in internet.networks:
        holder = internet.organisation(network.holder)
        yield {
            "type": "network",
            "handle": network.handle,
            "cidr": str(network.cidr),
            "holder": holder.slug,
            "holder_kind": str(holder.kind),
            "network_type": network.type,
            "parent": None if network.parent is None else str(network.parent),
            "asn": network.asn,
            "country": holder.country,
            "rdap_registry": _registry_host(internet, network.registry),
        }
    cdn = internet.cdn
    yield {
        "type": "cdn",
        "slug": cdn.slug,
        "name": cdn.name,
        "asn": cdn.asn,
        "country": cdn.country,
        "network": str(cdn.network),
        "abuse_email": cdn.abuse_email,
        "abuse_host": cdn.abuse_host,
        "abuse_ip": str(cdn.abuse_ip),
        "edge_host": cdn.edge_host,
        "edge_ip": str(cdn.edge_ip),
        "origin_url": f"http://{cdn.abuse_host}:{port}{ORIGIN_PATH}",
        "rdap_registry": _registry_host(internet, cdn.registry),
        "fronts": [f.site.host for f in cdn.fronted],
    }
    for fronted in cdn.fronted:
        site = fronted.site
        origin = internet.network_of(site.ip)
        yield {
            "type": "fronted-site",
            "host": site.host,
            "url": f"http://{site.host}:{port}/",
            "edge_ip": str(cdn.edge_ip),
            "origin_ip": str(site.ip),
            "origin_network": None if origin is None else str(origin.cidr),
            "provider": site.provider,
            "cdn": cdn.slug,
        }
    for domain in internet.domains:
        registrar = internet.organisation(domain.registrar)
        yield {
            "type": "domain",
            "name": domain.name,
            "host": domain.host,
            "registrar": registrar.name,
            "registrar_abuse_email": registrar.abuse_email,
            "rdap_registry": _registry_host(internet, domain.registry),
        }
