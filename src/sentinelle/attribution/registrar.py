"""The domain's registrar as a second recipient (``SENTINELLE_NOTIFY_REGISTRAR``).

RDAP for the registered domain (``www.shop.example.co.uk`` -> ``example.co.uk``, from the
public suffix list bundled with tldextract, never fetched; a host under an unknown suffix
gives its last two labels). The registrar is the entity with the role ``registrar``; its
abuse contact is the ``abuse`` entity inside it (the ICANN RDAP profile), else its own address.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import tldextract

from sentinelle.attribution.cache import RdapCache
from sentinelle.attribution.chain import Recipient, Role, language_of
from sentinelle.attribution.exceptions import RdapError
from sentinelle.attribution.rdap_contacts import FoundContact, abuse_contact
from sentinelle.attribution.rdap_objects import Entity
from sentinelle.resolver import literal


@cache
def _extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


def registered_domain(host: str) -> str | None:
    """The domain a registrar registered, or None for an address or a one-label name."""
    if literal(host) is not None or "." not in host:
        return None
    parts = _extractor()(host)
    return parts.top_domain_under_public_suffix or ".".join(host.split(".")[-2:])


def registrar_recipient(cache: RdapCache, host: str) -> tuple[Recipient | None, dict[str, Any]]:
    domain = registered_domain(host)
    if domain is None:
        return None, {"skipped": f"{host} has no registered domain"}
    info: dict[str, Any] = {"domain": domain}
    try:
        answer = cache.domain(domain)
    except RdapError as error:
        return None, info | {"error": str(error)}
    info["source"] = answer.source()
    registrars = [e for e in answer.value.all_entities() if "registrar" in e.roles]
    if not registrars:
        return None, info | {"error": f"the RDAP record of {domain} names no registrar"}
    registrar = registrars[0]
    info["registrar"] = registrar.card.name or registrar.card.org or registrar.handle

    def follow(url: str) -> tuple[Entity, str]:
        cached = cache.entity(url)
        return cached.value, cached.document.final_url

    found = abuse_contact(registrar.walk()[1:], answer.document.final_url, follow)
    if found is None and registrar.card.email:
        card = registrar.card
        found = FoundContact(card.email or "", card.name, card.language, "registrar", registrar.handle,
                             answer.document.final_url)
    if found is None:
        return None, info | {"error": f"the registrar of {domain} has no abuse address"}
    info["contact"] = found.as_dict()
    recipient = Recipient(Role.REGISTRAR, info["registrar"], found.email, None, language_of(found.language),
                          "", f"rdap-registrar-{found.role}")
    return recipient, info
