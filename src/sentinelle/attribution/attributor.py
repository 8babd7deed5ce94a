"""URL -> host -> addresses -> AS row -> directory and RDAP -> CDN and origin -> recipients.

:class:`Attributor` walks the chain for one URL and returns a :class:`~.chain.Chain`; it
stores nothing (``services.attribute`` stores the result and its flags). Precedence of the
recipients: an operator override, then a directory provider's own contacts, then RDAP.
When an override or the directory gives the recipients, what RDAP or the ASN file could not
tell is kept as a note rather than a flag: nobody needs to act on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sentinelle.attribution.asndb import AsnDatabase
from sentinelle.attribution.cache import RdapCache
from sentinelle.attribution.cdn import known_cdn, shared_cdn
from sentinelle.attribution.chain import Chain, Reason, Recipient, Role, language_of
from sentinelle.attribution.directory import (
    Match,
    directory_recipients,
    is_cdn,
    override_for,
    provider_for,
)
from sentinelle.attribution.network_step import NetworkFindings, NetworkStep, Problem, asn_row
from sentinelle.attribution.origin import reveal_origin
from sentinelle.attribution.ranges import Address
from sentinelle.attribution.registrar import registrar_recipient
from sentinelle.crawl.fetch import Fetcher
from sentinelle.crawl.normalize import normalize_url
from sentinelle.resolver import ResolutionError, Resolver, literal, normalize_host


class Attributor:
    def __init__(
        self,
        *,
        resolver: Resolver,
        cache: RdapCache,
        fetcher: Fetcher,
        asn_db: AsnDatabase | None,
        notify_registrar: bool,
        clock: Callable[[], datetime],
    ) -> None:
        self.resolver = resolver
        self.cache = cache
        self.fetcher = fetcher
        self.asn_db = asn_db
        self.notify_registrar = notify_registrar
        self.clock = clock
        self.network_step = NetworkStep(cache)

    def attribute(self, url: str, *, address: str | None = None) -> tuple[Chain, Match | None]:
        """The chain for ``url`` (InvalidUrl if it is not one); ``address``: the one the
        crawler connected to, when known."""
        normalized = normalize_url(url)
        host = normalize_host(normalized.host)
        chain = Chain(normalized.url, host, self.clock())
        problems: list[Problem] = []
        primary = self._addresses(chain, host, address, problems)
        asn = self._asn(chain, primary, problems)
        match = override_for(host, primary) or provider_for(primary, asn)
        if match is not None:
            setattr(chain, match.via, match.as_dict())
        findings = self.network_step.run(primary) if primary is not None else None
        if findings is not None:
            chain.rdap = findings.as_dict()
            problems += findings.problems
        role = self._cdn(chain, match, asn, normalized.url)
        if match is not None:
            chain.recipients = directory_recipients(match, role)
        if not chain.recipients and findings is not None and findings.contact is not None:
            chain.recipients = [_rdap_recipient(findings, match, role)]
        operator_decided = bool(chain.recipients) and chain.recipients[0].source in ("override", "directory")
        for problem in problems:
            if operator_decided:
                chain.notes.append(f"{problem.reason}: {problem.detail}")
            else:
                chain.flag(problem.reason, problem.detail)
        if self.notify_registrar:
            recipient, chain.registrar = registrar_recipient(self.cache, host)
            if recipient is not None:
                chain.recipients.append(recipient)
        if not any(r.role is not Role.REGISTRAR for r in chain.recipients):
            chain.flag(Reason.NO_RECIPIENT, "no hosting, CDN or upstream abuse contact was found")
        chain.retry_after = max((p.retry_after for p in problems if p.retry_after), default=None)
        return chain, match

    def _addresses(self, chain: Chain, host: str, given: str | None, problems: list[Problem]) -> Address | None:
        if given:
            found, source = [_address(given)], "the address the crawler connected to"
        elif (value := literal(host)) is not None:
            found, source = [value], "the URL (an address literal)"
        else:
            source = f"resolver {type(self.resolver).__name__}"
            try:
                found = list(self.resolver.resolve(host))
            except ResolutionError as error:
                chain.addresses = {"values": [], "source": source, "error": error.reason}
                problems.append(Problem(Reason.UNRESOLVABLE, f"{host}: {error.reason}", None))
                return None
        chain.addresses = {"values": [str(a) for a in found], "used": str(found[0]), "source": source}
        if len(found) > 1:
            chain.notes.append(f"{host} has {len(found)} addresses; attributed by the first, {found[0]}")
        return found[0]

    def _asn(self, chain: Chain, address: Address | None, problems: list[Problem]) -> int | None:
        if address is None:
            return None
        row, problem = asn_row(self.asn_db, address)
        if problem is not None:
            problems.append(problem)
        source = self.asn_db.as_dict() if self.asn_db is not None else None
        chain.asn = {**(row.as_dict() if row else {}), "source": source}
        return row.asn if row is not None and row.routed else None

    def _cdn(self, chain: Chain, match: Match | None, asn: int | None, url: str) -> Role:
        if match is not None and is_cdn(match.provider):
            chain.cdn = {"name": match.provider.name, "provider": match.provider.slug, "recognised_by": match.detail}
            template = match.provider.origin_lookup
            chain.cdn["origin"] = self._origin(template, url, chain.host) if template else {
                "error": "the directory has no origin lookup for this CDN"}
            return Role.CDN
        known = known_cdn(asn)
        if known is not None:
            chain.cdn = {"name": known.name, "provider": "", "recognised_by": f"AS{asn} (built-in table)",
                         "abuse_url": known.abuse_url, "origin": {"error": "no origin lookup for this CDN"}}
            return Role.CDN
        shared = shared_cdn(asn)
        if shared is not None:
            chain.notes.append(f"AS{asn} carries {shared.name} and other services: not taken for a CDN "
                               "unless the directory lists the range")
        return Role.HOSTING

    def _origin(self, template: str, url: str, host: str) -> dict[str, Any]:
        found = reveal_origin(self.fetcher, template, url, host)
        if "origin_ip" not in found:
            return found
        origin = _address(found["origin_ip"])
        row, problem = asn_row(self.asn_db, origin)
        found["asn"] = row.as_dict() if row else None
        if problem is not None:
            found["asn_problem"] = problem.detail
        holder = provider_for(origin, row.asn if row and row.routed else None)
        found["provider"] = holder.as_dict() if holder else None
        network = self.network_step.run(origin)
        found["rdap"] = network.as_dict()
        return found


def _address(text: str) -> Address:
    value = literal(text)
    if value is None:
        raise ValueError(f"not an IP address: {text!r}")
    return value


def _rdap_recipient(findings: NetworkFindings, match: Match | None, role: Role) -> Recipient:
    contact = findings.contact
    assert contact is not None
    network = findings.network.value.name if findings.network else ""
    if findings.via == "parent":
        role, source = Role.UPSTREAM, "rdap-parent-abuse"
    else:
        source = f"rdap-{contact.role}"
    return Recipient(role, contact.name or network, contact.email, None, language_of(contact.language),
                     match.provider.slug if match else "", source)
