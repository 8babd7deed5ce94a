"""The upstream network's abuse desk: who to tell when the host of a URL does not act.

Notices go to the host (:func:`~.services.recipients_for`). An escalation goes one level up,
to whoever routes the host's network:

1. a directory provider of kind ``upstream`` whose network holds the URL's address (the most
   specific; an operator's decision, so it comes first);
2. else RDAP: the abuse contact of the parent network (the ``up`` link of the host's
   network, then its parent's, up to :data:`~.network_step.MAX_PARENTS` levels), the first
   whose address is not one the URL's notices already went to.

The address is the stored attribution's (attribute the URL first). Answers come from the
RDAP cache like every other look-up. An empty list: no upstream was found.
"""

from __future__ import annotations

from collections.abc import Iterable

from sentinelle.attribution.attributor import Attributor
from sentinelle.attribution.chain import Recipient, Role, language_of
from sentinelle.attribution.directory import Match, directory_recipients
from sentinelle.attribution.exceptions import RdapError
from sentinelle.attribution.models import ProviderKind, ProviderNetwork
from sentinelle.attribution.network_step import MAX_PARENTS
from sentinelle.attribution.ranges import Address, address_key
from sentinelle.attribution.rdap_contacts import abuse_contact
from sentinelle.attribution.rdap_objects import Entity
from sentinelle.attribution.services import get_attribution
from sentinelle.resolver import literal


def upstream_for(url: str, *, attributor: Attributor, exclude: Iterable[str] = ()) -> list[Recipient]:
    """The upstream abuse desk(s) for ``url``; ``exclude``: addresses not to give again."""
    row = get_attribution(url)
    address = literal(row.address) if row is not None and row.address else None
    if row is None or address is None:
        return []
    directory = _directory(address)
    if directory:
        return directory
    known = {str(r.get("email") or "").lower() for r in row.recipients} | {e.lower() for e in exclude}
    return _rdap(attributor, address, known)


def _directory(address: Address) -> list[Recipient]:
    key = address_key(address)
    network = (ProviderNetwork.objects.select_related("provider").exclude(cidr="")
               .filter(provider__kind=ProviderKind.UPSTREAM, first__lte=key, last__gte=key)
               .order_by("-first", "last").first())
    if network is None:
        return []
    return directory_recipients(Match(network.provider, "directory", f"network {network.cidr}"), Role.UPSTREAM)


def _rdap(attributor: Attributor, address: Address, known: set[str]) -> list[Recipient]:
    cache = attributor.cache

    def follow(url: str) -> tuple[Entity, str]:
        cached = cache.entity(url)
        return cached.value, cached.document.final_url

    try:
        current = cache.network(address).value
        for _ in range(MAX_PARENTS):
            if current.up_url is None:
                return []
            parent = cache.network_at(current.up_url)
            found = abuse_contact(parent.value.all_entities(), parent.document.final_url, follow)
            if found is not None and found.email.lower() not in known:
                return [Recipient(Role.UPSTREAM, found.name or parent.value.name, found.email, None,
                                  language_of(found.language), "", "rdap-parent-abuse")]
            current = parent.value
    except RdapError:
        return []
    return []
