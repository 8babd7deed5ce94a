"""Look-ups in the provider directory: overrides, the provider holding an address, contacts.

Overrides always win: a host override, then a domain override (the most specific domain the
host is in), then a network override (the most specific network holding the address). Then
the directory's own networks (most specific first) and AS numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sentinelle.attribution.chain import Recipient, Role, language_of
from sentinelle.attribution.models import (
    Channel,
    Contact,
    Override,
    Provider,
    ProviderKind,
    ProviderNetwork,
)
from sentinelle.attribution.ranges import Address, address_key


@dataclass(frozen=True)
class Match:
    """A provider the directory names for a URL, and why."""

    provider: Provider
    via: str  #: ``override`` or ``directory``
    detail: str  #: what matched: ``host www.x.example``, ``network 127.64.1.0/24``, ``AS64500``
    reason: str = ""  #: the override's reason

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"provider": self.provider.slug, "name": self.provider.name,
                                    "kind": self.provider.kind, "matched": self.detail}
        if self.reason:
            found["reason"] = self.reason
        return found


def domains_of(host: str) -> list[str]:
    """``a.b.example`` -> ``["a.b.example", "b.example", "example"]``, most specific first."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def override_for(host: str, address: Address | None) -> Match | None:
    found = Override.objects.select_related("provider").filter(kind=Override.Kind.HOST, value=host).first()
    if found is None:
        candidates = {o.value: o for o in Override.objects.select_related("provider").filter(
            kind=Override.Kind.DOMAIN, value__in=domains_of(host))}
        found = next((candidates[d] for d in domains_of(host) if d in candidates), None)
    if found is None and address is not None:
        key = address_key(address)
        found = (Override.objects.select_related("provider")
                 .filter(kind=Override.Kind.NETWORK, first__lte=key, last__gte=key)
                 .order_by("-first", "last").first())
    if found is None:
        return None
    return Match(found.provider, "override", f"{found.kind} {found.value}", found.reason)


#: Directory providers that never host: an upstream's network covers its customers' ranges,
#: and a registrar has none; neither is taken for the host of an address.
NOT_HOSTS: Final = (ProviderKind.UPSTREAM, ProviderKind.REGISTRAR)


def provider_for(address: Address | None, asn: int | None) -> Match | None:
    """The directory provider hosting ``address`` (most specific network), else by AS number."""
    hosts = ProviderNetwork.objects.select_related("provider").exclude(provider__kind__in=NOT_HOSTS)
    if address is not None:
        key = address_key(address)
        network = (hosts.exclude(cidr="").filter(first__lte=key, last__gte=key)
                   .order_by("-first", "last").first())
        if network is not None:
            return Match(network.provider, "directory", f"network {network.cidr}")
    if asn:
        network = hosts.filter(asn=asn).first()
        if network is not None:
            return Match(network.provider, "directory", f"AS{asn}")
    return None


def is_cdn(provider: Provider) -> bool:
    return bool(provider.kind == ProviderKind.CDN)


def directory_recipients(match: Match, role: Role) -> list[Recipient]:
    """The provider's abuse contacts: the preferred ones if any are preferred, else all."""
    contacts = list(Contact.objects.filter(provider=match.provider, role=Contact.Role.ABUSE))
    chosen = [c for c in contacts if c.preferred] or contacts
    return [
        Recipient(
            role=role, name=match.provider.name,
            email=c.address if c.channel == Channel.EMAIL else None,
            webhook_url=c.address if c.channel == Channel.WEBHOOK else None,
            language=language_of(c.language), provider=match.provider.slug,
            source=match.via, secret_ref=c.secret_ref,
        )
        for c in chosen
    ]
