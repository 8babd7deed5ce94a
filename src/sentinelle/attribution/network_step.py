"""One address -> its AS row and its RDAP network -> the address that reaches its abuse desk.

Order: the network's abuse entity (embedded, or linked and fetched); without one, the
network's registrant, technical or administrative address; without those, the abuse
contact of the parent network (the ``up`` link: the upstream that routes the range), up to
:data:`MAX_PARENTS` levels. Anything but the first is reported as "no abuse contact".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from sentinelle.attribution.asndb import AsnDatabase, AsnRange
from sentinelle.attribution.cache import Cached, RdapCache
from sentinelle.attribution.chain import Reason
from sentinelle.attribution.exceptions import RdapError, RdapUnavailable
from sentinelle.attribution.rdap_contacts import FoundContact, abuse_contact, fallback_contact
from sentinelle.attribution.rdap_objects import Address, Entity, IpNetwork

MAX_PARENTS: Final = 3


@dataclass
class Problem:
    reason: Reason
    detail: str
    retry_after: float | None = None


@dataclass
class NetworkFindings:
    """What was found for one address; ``via`` says how ``contact`` was found."""

    address: Address
    network: Cached[IpNetwork] | None = None
    contact: FoundContact | None = None
    via: str = ""  #: ``abuse``, ``fallback`` or ``parent``
    parents: list[Cached[IpNetwork]] = field(default_factory=list)
    followed: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"address": str(self.address), "network": None, "contact": None}
        if self.network is not None:
            found["network"] = {**_network(self.network.value), "source": self.network.source()}
        if self.contact is not None:
            found["contact"] = {**self.contact.as_dict(), "via": self.via}
        if self.parents:
            found["parents"] = [{**_network(p.value), "source": p.source()} for p in self.parents]
        if self.followed:
            found["entities_followed"] = self.followed
        if self.problems:
            found["problems"] = [{"reason": str(p.reason), "detail": p.detail} for p in self.problems]
        return found


def _network(network: IpNetwork) -> dict[str, Any]:
    return {"handle": network.handle, "range": f"{network.first}-{network.last}", "cidrs": network.cidrs,
            "name": network.name, "country": network.country, "parent": network.parent_handle}


def asn_row(database: AsnDatabase | None, address: Address) -> tuple[AsnRange | None, Problem | None]:
    if database is None:
        return None, Problem(Reason.NO_ASN_DB, "SENTINELLE_ASN_DB is not set: no AS number, organisation or country")
    row = database.lookup(address)
    if row is None:
        return None, Problem(Reason.NO_ASN, f"{address} is in no range of {database.source}")
    if not row.routed:
        return row, Problem(Reason.NO_ASN, f"{address} is not routed ({row.first}-{row.last}: {row.description})")
    return row, None


class NetworkStep:
    def __init__(self, cache: RdapCache) -> None:
        self.cache = cache

    def run(self, address: Address) -> NetworkFindings:
        findings = NetworkFindings(address)
        try:
            findings.network = self.cache.network(address)
        except RdapError as error:
            findings.problems.append(_problem(error))
            return findings
        _note_stale(findings, findings.network)
        network = findings.network.value
        source = findings.network.document.final_url

        def follow(url: str) -> tuple[Entity, str]:
            try:
                cached = self.cache.entity(url)
            except RdapError as error:
                findings.followed.append({"query": url, "error": str(error)})
                if isinstance(error, RdapUnavailable):
                    findings.problems.append(_problem(error))
                raise
            findings.followed.append(cached.source())
            _note_stale(findings, cached)
            return cached.value, cached.document.final_url

        findings.contact = abuse_contact(network.all_entities(), source, follow)
        if findings.contact is not None:
            findings.via = "abuse"
            return findings
        findings.contact = fallback_contact(network.all_entities(), source, follow)
        if findings.contact is not None:
            findings.via = "fallback"
            findings.problems.append(Problem(Reason.NO_ABUSE_CONTACT, (
                f"network {network.handle} has no abuse contact: using its {findings.contact.role} "
                f"address {findings.contact.email}")))
            return findings
        self._parents(findings, network, follow)
        return findings

    def _parents(self, findings: NetworkFindings, network: IpNetwork, follow: Any) -> None:
        current = network
        for _ in range(MAX_PARENTS):
            if current.up_url is None:
                break
            try:
                parent = self.cache.network_at(current.up_url)
            except RdapError as error:
                findings.problems.append(Problem(Reason.NO_ABUSE_CONTACT, (
                    f"network {network.handle} has no abuse contact, and its parent could not be "
                    f"read: {error}")))
                return
            findings.parents.append(parent)
            _note_stale(findings, parent)
            current = parent.value
            found = abuse_contact(current.all_entities(), parent.document.final_url, follow)
            if found is not None:
                findings.contact, findings.via = found, "parent"
                findings.problems.append(Problem(Reason.NO_ABUSE_CONTACT, (
                    f"network {network.handle} has no abuse contact: using the abuse contact of "
                    f"the parent network {current.handle} ({found.email})")))
                return
        findings.problems.append(Problem(Reason.NO_ABUSE_CONTACT, (
            f"network {network.handle} has no abuse, registrant or technical address, nor has "
            "any parent network")))


def _problem(error: RdapError) -> Problem:
    retry = error.retry_after if isinstance(error, RdapUnavailable) else None
    return Problem(Reason(error.reason), str(error), retry)


def _note_stale(findings: NetworkFindings, cached: Cached[Any]) -> None:
    if cached.state == "stale" and not any(p.reason is Reason.RDAP_STALE for p in findings.problems):
        hours = cached.age / 3600
        findings.problems.append(Problem(Reason.RDAP_STALE, (
            f"the registry did not answer ({cached.error}); used the answer fetched {hours:.1f} h ago")))
