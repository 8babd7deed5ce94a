"""What an attribution found, step by step: the chain, its recipients, and its flags.

:class:`Chain` is filled in by :class:`sentinelle.attribution.attributor.Attributor` and
stored as JSON with the :class:`~sentinelle.attribution.models.Attribution`; ``sentinelle
attribute`` prints it. Every step says where its data came from and how old it is. No Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """Why a recipient is told."""

    HOSTING = "hosting"  #: hosts the content
    CDN = "cdn"  #: serves it from its edge, in front of the origin
    REGISTRAR = "registrar"  #: registered the domain
    UPSTREAM = "upstream"  #: routes the host's network (used when the host has no abuse desk)


class Reason(StrEnum):
    """Why a URL is flagged for an analyst (``AttributionFlag.reason``)."""

    UNRESOLVABLE = "unresolvable"  #: the host has no address
    NO_ASN_DB = "no-asn-db"  #: SENTINELLE_ASN_DB is not set
    NO_ASN = "no-asn"  #: no routed row in the IP-to-ASN file for the address
    RDAP_UNAVAILABLE = "rdap-unavailable"  #: the registry did not answer, nothing cached
    RDAP_STALE = "rdap-stale"  #: the registry did not answer, an expired answer was used
    RDAP_NOT_FOUND = "rdap-not-found"  #: the registry holds no network for the address
    RDAP_REFUSED = "rdap-refused"  #: a query or redirect went where the egress guard refuses
    RDAP_MALFORMED = "rdap-malformed"  #: the answer was not the RDAP asked for
    RDAP_ERROR = "rdap-error"  #: any other RDAP failure
    NO_ABUSE_CONTACT = "no-abuse-contact"  #: no abuse entity: a fallback address was used
    NO_RECIPIENT = "no-recipient"  #: nobody to send a notice to


#: Reasons worth trying again by themselves (the flag gets a due time).
RETRIED = frozenset({Reason.RDAP_UNAVAILABLE, Reason.RDAP_STALE, Reason.UNRESOLVABLE})


@dataclass(frozen=True)
class Recipient:
    """Who a notice about a URL goes to (what ``recipients_for`` returns)."""

    role: Role
    name: str
    email: str | None
    webhook_url: str | None
    language: str  #: ``en`` or ``fr``
    provider: str  #: the directory's slug, "" when the recipient comes from RDAP only
    source: str  #: override, directory, rdap-abuse, rdap-registrant..., rdap-parent-abuse
    secret_ref: str = ""  #: a webhook's secret, by name

    def as_dict(self) -> dict[str, Any]:
        return {"role": str(self.role), "name": self.name, "email": self.email,
                "webhook_url": self.webhook_url, "language": self.language,
                "provider": self.provider, "source": self.source, "secret_ref": self.secret_ref}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Recipient:
        return cls(Role(value["role"]), value["name"], value.get("email"), value.get("webhook_url"),
                   value["language"], value.get("provider", ""), value["source"], value.get("secret_ref", ""))


def language_of(tag: str | None) -> str:
    """A notice language from a language tag: French for ``fr``, ``fr-CA``..., else English."""
    return "fr" if (tag or "").strip().lower().split("-")[0] == "fr" else "en"


@dataclass
class Chain:
    url: str
    host: str
    at: datetime
    addresses: dict[str, Any] | None = None
    asn: dict[str, Any] | None = None
    override: dict[str, Any] | None = None
    directory: dict[str, Any] | None = None
    rdap: dict[str, Any] | None = None
    cdn: dict[str, Any] | None = None
    registrar: dict[str, Any] | None = None
    recipients: list[Recipient] = field(default_factory=list)
    reasons: list[tuple[Reason, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Seconds a registry asked to wait before the next try (``Retry-After``), if it did.
    retry_after: float | None = None

    def flag(self, reason: Reason, detail: str) -> None:
        if all(reason != known for known, _ in self.reasons):
            self.reasons.append((reason, detail))

    @property
    def status(self) -> str:
        return "flagged" if self.reasons else "ok"

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url, "host": self.host, "attributed": self.at.isoformat(),
            "status": self.status,
            "reasons": [{"reason": str(r), "detail": d} for r, d in self.reasons],
            "addresses": self.addresses, "asn": self.asn, "override": self.override,
            "directory": self.directory, "rdap": self.rdap, "cdn": self.cdn,
            "registrar": self.registrar, "recipients": [r.as_dict() for r in self.recipients],
            "notes": self.notes,
        }
