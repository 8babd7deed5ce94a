"""RDAP answers as JSON (RFC 9083): networks, entities, domains, autnums, help, errors.

Built from :class:`~sentinelle.sandbox.internet.Internet` and the port (links are
absolute URLs). Dates follow from the seed and the handle, so the same world and
port give the same bytes.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from functools import cached_property
from typing import Any, Final

from sentinelle.sandbox.internet import Domain, Internet, Network, Organisation, OrgKind
from sentinelle.sandbox.providers import AbuseStyle

RDAP_CONTENT_TYPE: Final = "application/rdap+json"
CONFORMANCE: Final = ("rdap_level_0", "cidr0")
JSONObject = dict[str, Any]


def _date(seed: int, handle: str, event: str, span: int, after: date) -> date:
    digest = hashlib.blake2b(f"sandbox-rdap:{seed}:{handle}:{event}".encode(), digest_size=4)
    return after + timedelta(days=1 + int.from_bytes(digest.digest(), "big") % span)


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _languages(language: str) -> list[list[Any]]:
    tags = [language] if language == "en" else [language, "en"]
    return [["lang", {"pref": str(n)}, "language-tag", tag] for n, tag in enumerate(tags, 1)]


class RdapObjects:
    """The JSON of every object the registries of one world serve, on one port."""

    def __init__(self, internet: Internet, port: int) -> None:
        self.internet = internet
        self.port = port

    # -- plumbing --------------------------------------------------------------------------

    def base(self, registry: str) -> str:
        return f"http://{self.internet.registry(registry).host}:{self.port}/"

    def link(self, registry: str, path: str, rel: str = "self") -> JSONObject:
        url = self.base(registry) + path
        return {"value": url, "rel": rel, "href": url, "type": RDAP_CONTENT_TYPE}

    def events(self, handle: str) -> list[JSONObject]:
        seed = self.internet.seed
        registered = _date(seed, handle, "registration", 5000, date(2005, 1, 1))
        changed = _date(seed, handle, "last changed", 1500, registered)
        return [
            {"eventAction": "registration", "eventDate": _stamp(registered)},
            {"eventAction": "last changed", "eventDate": _stamp(changed)},
        ]

    def top(self, registry: str, answer: JSONObject) -> JSONObject:
        """``answer`` as a whole response: conformance and notices first."""
        notice = {
            "title": "Terms of Service",
            "description": [
                "Invented registration data of the sentinelle sandbox web "
                f"(seed {self.internet.seed}). Nothing here is real."
            ],
            "links": [self.link(registry, "help", "terms-of-service")],
        }
        return {"rdapConformance": list(CONFORMANCE), "notices": [notice], **answer}

    def error(self, code: int, title: str, description: str) -> JSONObject:
        return {
            "rdapConformance": list(CONFORMANCE),
            "errorCode": code,
            "title": title,
            "description": [description],
        }

    def help(self, registry: str) -> JSONObject:
        return self.top(registry, {})

    def bootstrap_help(self) -> JSONObject:
        text = [
            "The sandbox's bootstrap: /ip, /domain, /entity and /autnum queries answer 302 "
            "to the regional registry that holds the resource."
        ]
        return {
            "rdapConformance": list(CONFORMANCE),
            "notices": [{"title": "Bootstrap", "description": text}],
        }

    # -- entities --------------------------------------------------------------------------

    @cached_property
    def _entities(self) -> dict[str, tuple[Organisation, str]]:
        table: dict[str, tuple[Organisation, str]] = {}
        for org in self.internet.organisations:
            registrar = org.kind is OrgKind.REGISTRAR
            table[org.handle] = (org, "registrar" if registrar else "registrant")
            if not registrar:
                table[org.technical_handle] = (org, "technical")
            if org.abuse_style is not AbuseStyle.NONE:
                table[org.abuse_handle] = (org, "abuse")
        return table

    def entity_handle(self, handle: str) -> tuple[Organisation, str] | None:
        return self._entities.get(handle.upper())

    def entity(self, org: Organisation, role: str) -> JSONObject:
        """A whole entity: handle, roles, vcardArray, links (and a registrar's nested abuse)."""
        handle, name, kind, email = {
            "registrant": (org.handle, org.name, "org", None),
            "registrar": (org.handle, org.name, "org", None),
            "technical": (org.technical_handle, f"{org.name} NOC", "group", org.technical_email),
            "abuse": (org.abuse_handle, f"{org.name} Abuse", "group", org.abuse_email),
        }[role]
        card: list[list[Any]] = [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", name],
            ["kind", {}, "text", kind],
            ["adr", {"cc": org.country}, "text", ["", "", "", "", "", "", org.country]],
        ]
        if email is not None:
            card.append(["email", {"type": "work"}, "text", email])
        card += _languages(org.language)
        entity: JSONObject = {
            "objectClassName": "entity",
            "handle": handle,
            "roles": [role],
            "vcardArray": ["vcard", card],
            "links": [self.link(org.registry, f"entity/{handle}")],
        }
        if role == "registrar":
            entity["publicIds"] = [{"type": "IANA Registrar ID", "identifier": str(org.iana_id)}]
            entity["entities"] = [self.entity(org, "abuse")]
        return entity

    def network_entities(self, org: Organisation) -> list[JSONObject]:
        entities = [self.entity(org, "registrant")]
        if org.abuse_style is AbuseStyle.EMBEDDED:
            entities.append(self.entity(org, "abuse"))
        elif org.abuse_style is AbuseStyle.LINKED:
            entities.append(
                {
                    "objectClassName": "entity",
                    "handle": org.abuse_handle,
                    "roles": ["abuse"],
                    "links": [self.link(org.registry, f"entity/{org.abuse_handle}")],
                }
            )
        entities.append(self.entity(org, "technical"))
        return entities

    # -- objects ---------------------------------------------------------------------------

    def network(self, network: Network) -> JSONObject:
        org = self.internet.organisation(network.holder)
        cidr = network.cidr
        answer: JSONObject = {
            "objectClassName": "ip network",
            "handle": network.handle,
            "startAddress": str(cidr.network_address),
            "endAddress": str(cidr.broadcast_address),
            "ipVersion": "v4",
            "name": network.name,
            "type": network.type,
            "country": org.country,
            "status": ["active"],
            "cidr0_cidrs": [{"v4prefix": str(cidr.network_address), "length": cidr.prefixlen}],
            "entities": self.network_entities(org),
            "links": [self.link(network.registry, f"ip/{cidr}")],
            "events": self.events(network.handle),
        }
        parent = None if network.parent is None else self.internet.network(network.parent)
        if parent is not None:
            answer["parentHandle"] = parent.handle
            answer["links"].append(self.link(network.registry, f"ip/{parent.cidr}", "up"))
        remarks = self.remarks(org)
        if remarks:
            answer["remarks"] = remarks
        return answer

    def remarks(self, org: Organisation) -> list[JSONObject]:
        if org.abuse_style is AbuseStyle.NONE:
            text = ["No abuse contact is registered for this network."]
            return [{"title": "Abuse contact", "description": text}]
        if org.kind is OrgKind.CDN:
            cdn = self.internet.cdn
            origin = f"http://{cdn.abuse_host}:{self.port}/origin?url=<URL>"
            text = [
                f"Addresses of this network are edge servers of {org.name}: the sites they "
                "serve are hosted elsewhere.",
                f"Origin disclosure for abuse reports: {origin}",
            ]
            return [{"title": "Content delivery network", "description": text}]
        return []

    def autnum(self, org: Organisation) -> JSONObject:
        assert org.asn is not None
        return {
            "objectClassName": "autnum",
            "handle": f"AS{org.asn}",
            "startAutnum": org.asn,
            "endAutnum": org.asn,
            "name": f"{org.slug.upper()}-AS",
            "type": "DIRECT ALLOCATION",
            "status": ["active"],
            "country": org.country,
            "entities": self.network_entities(org),
            "links": [self.link(org.registry, f"autnum/{org.asn}")],
            "events": self.events(f"AS{org.asn}"),
        }

    def domain(self, domain: Domain) -> JSONObject:
        registrar = self.internet.organisation(domain.registrar)
        handle = f"DOM-{domain.name.upper().replace('.', '-')}-{domain.registry.upper()}"
        events = self.events(handle)
        registered = date.fromisoformat(events[0]["eventDate"][:10])
        expires = date(2030, registered.month, min(registered.day, 28))
        return {
            "objectClassName": "domain",
            "handle": handle,
            "ldhName": domain.name,
            "status": ["client transfer prohibited"],
            "nameservers": [
                {"objectClassName": "nameserver", "ldhName": f"ns{n}.{registrar.slug}.test"}
                for n in (1, 2)
            ],
            "secureDNS": {"delegationSigned": False},
            "entities": [self.entity(registrar, "registrar")],
            "links": [self.link(domain.registry, f"domain/{domain.name}")],
            "events": [*events, {"eventAction": "expiration", "eventDate": _stamp(expires)}],
        }
