"""Editing the provider directory: providers, networks, contacts, notes, overrides.

Every edit runs in one transaction with its audit event (before and after). Values are
checked first: a bad slug, network, address, URL, language or country changes nothing and
raises :class:`InvalidDirectoryEntry` saying which.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sentinelle.attribution import checks
from sentinelle.attribution.exceptions import InvalidDirectoryEntry, ProviderExists, UnknownProvider
from sentinelle.attribution.models import Channel, Contact, Override, Provider, ProviderNetwork
from sentinelle.attribution.ranges import network_keys, parse_network
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record

EDITABLE = ("name", "kind", "countries", "origin_lookup")


def get_provider(slug: str) -> Provider:
    try:
        return Provider.objects.get(slug=slug)
    except Provider.DoesNotExist:
        raise UnknownProvider(f"no provider {slug!r} in the directory") from None


def state(provider: Provider) -> dict[str, Any]:
    return {"slug": provider.slug, "name": provider.name, "kind": provider.kind,
            "countries": provider.countries, "origin_lookup": provider.origin_lookup, "notes": provider.notes}


def create_provider(slug: str, name: str, *, actor: Actor, kind: str = "hosting", countries: str = "",
                    notes: str = "", origin_lookup: str = "") -> Provider:
    values = checks.provider_fields({"name": name, "kind": kind, "countries": countries,
                                     "origin_lookup": origin_lookup})
    checks.slug(slug)
    try:
        with transaction.atomic():
            provider = Provider.objects.create(slug=slug, notes=notes.strip(), **values)
            record(AuditAction.PROVIDER_CREATE, actor=actor, target_type="provider", target_id=slug,
                   after=state(provider))
    except IntegrityError:
        raise ProviderExists(f"the directory already has a provider {slug!r}") from None
    return provider


def update_provider(slug: str, *, actor: Actor, **changes: str) -> Provider:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidDirectoryEntry(f"cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        provider = _locked(slug)
        values = checks.provider_fields({**{f: getattr(provider, f) for f in EDITABLE}, **changes})
        before = state(provider)
        for name, value in values.items():
            setattr(provider, name, value)
        provider.save()
        record(AuditAction.PROVIDER_UPDATE, actor=actor, target_type="provider", target_id=slug,
               before=before, after=state(provider))
    return provider


def add_note(slug: str, text: str, *, actor: Actor) -> Provider:
    if not text.strip():
        raise InvalidDirectoryEntry("a note needs text")
    with transaction.atomic():
        provider = _locked(slug)
        before = state(provider)
        line = f"{timezone.now():%Y-%m-%d} {actor.name}: {text.strip()}"
        provider.notes = f"{provider.notes}\n{line}".strip()
        provider.save(update_fields=["notes", "updated"])
        record(AuditAction.PROVIDER_UPDATE, actor=actor, target_type="provider", target_id=slug,
               before=before, after=state(provider), details={"note": text.strip()})
    return provider


def add_network(slug: str, *, actor: Actor, cidr: str = "", asn: int | None = None) -> ProviderNetwork:
    if bool(cidr) == (asn is not None):
        raise InvalidDirectoryEntry("give a network (CIDR) or an AS number")
    fields: dict[str, Any] = {"asn": checks.asn(asn)} if asn is not None else {}
    if cidr:
        network = parse_network(cidr)
        first, last = network_keys(network)
        fields = {"cidr": str(network), "first": first, "last": last}
    try:
        with transaction.atomic():
            provider = _locked(slug)
            row = ProviderNetwork.objects.create(provider=provider, **fields)
            record(AuditAction.PROVIDER_NETWORK_ADD, actor=actor, target_type="provider", target_id=slug,
                   after={"network": str(row)})
    except IntegrityError:
        holder = ProviderNetwork.objects.filter(**fields).select_related("provider").first()
        owner = holder.provider.slug if holder else "another provider"
        raise InvalidDirectoryEntry(f"{fields.get('cidr') or f'AS{asn}'} is already {owner}'s") from None
    return row


def remove_network(slug: str, network: str, *, actor: Actor) -> None:
    """Remove a network (``127.64.1.0/24``) or an AS number (``AS64500``, ``64500``)."""
    text = network.strip()
    number = text.upper().removeprefix("AS")
    wanted = {"asn": checks.asn(int(number))} if number.isdigit() else {"cidr": str(parse_network(text))}
    with transaction.atomic():
        provider = _locked(slug)
        row = ProviderNetwork.objects.filter(provider=provider, **wanted).first()
        if row is None:
            raise InvalidDirectoryEntry(f"{provider.slug} has no network {network!r}")
        before = {"network": str(row)}
        row.delete()
        record(AuditAction.PROVIDER_NETWORK_REMOVE, actor=actor, target_type="provider", target_id=slug,
               before=before)


def contact_state(contact: Contact) -> dict[str, Any]:
    return {"id": contact.pk, "role": contact.role, "channel": contact.channel, "address": contact.address,
            "secret_ref": contact.secret_ref, "language": contact.language, "source": contact.source,
            "preferred": contact.preferred, "note": contact.note}


def set_contact(slug: str, address: str, *, actor: Actor, channel: str = Channel.EMAIL, role: str = "abuse",
                language: str = "en", preferred: bool = False, secret_ref: str = "", note: str = "") -> Contact:
    """Add the contact, or change the one with this role, channel and address."""
    values = checks.contact_fields(address, channel=channel, role=role, language=language, secret_ref=secret_ref)
    with transaction.atomic():
        provider = _locked(slug)
        contact = Contact.objects.filter(provider=provider, role=values["role"], channel=values["channel"],
                                         address=values["address"]).first()
        before = contact_state(contact) if contact else None
        if preferred:
            Contact.objects.filter(provider=provider, role=values["role"]).update(preferred=False)
        contact = contact or Contact(provider=provider)
        for name, value in {**values, "preferred": preferred, "note": note.strip(),
                            "source": Contact.Source.OPERATOR}.items():
            setattr(contact, name, value)
        contact.save()
        record(AuditAction.CONTACT_SET, actor=actor, target_type="provider", target_id=slug,
               before=before, after=contact_state(contact))
    return contact


def remove_contact(slug: str, address: str, *, actor: Actor) -> None:
    with transaction.atomic():
        provider = _locked(slug)
        contacts = list(Contact.objects.filter(provider=provider, address=address.strip()))
        if not contacts:
            raise InvalidDirectoryEntry(f"{slug} has no contact {address!r}")
        for contact in contacts:
            before = contact_state(contact)
            contact.delete()
            record(AuditAction.CONTACT_REMOVE, actor=actor, target_type="provider", target_id=slug, before=before)


def override_state(override: Override) -> dict[str, Any]:
    return {"id": override.pk, "kind": override.kind, "value": override.value,
            "provider": override.provider.slug, "reason": override.reason, "created_by": override.created_by}


def add_override(kind: str, value: str, provider: str, *, reason: str, actor: Actor) -> Override:
    """``kind`` host, domain or network: URLs there go to ``provider``, whatever RDAP says."""
    fields = checks.override_fields(kind, value, reason)
    try:
        with transaction.atomic():
            override = Override.objects.create(provider=get_provider(provider), created_by=actor.name, **fields)
            record(AuditAction.ATTRIBUTION_OVERRIDE, actor=actor, target_type="override",
                   target_id=f"{override.kind}:{override.value}", after=override_state(override))
    except IntegrityError:
        raise InvalidDirectoryEntry(f"there is already an override for {kind} {fields['value']}") from None
    return override


def remove_override(kind: str, value: str, *, actor: Actor, reason: str = "") -> None:
    fields = checks.override_fields(kind, value, reason or "-")
    with transaction.atomic():
        override = Override.objects.select_related("provider").filter(kind=fields["kind"], value=fields["value"]).first()
        if override is None:
            raise InvalidDirectoryEntry(f"no override for {kind} {fields['value']}")
        before = override_state(override)
        override.delete()
        record(AuditAction.ATTRIBUTION_OVERRIDE_REMOVE, actor=actor, target_type="override",
               target_id=f"{fields['kind']}:{fields['value']}", before=before,
               details={"reason": reason} if reason else None)


def summary(provider: Provider) -> dict[str, Any]:
    return {
        **state(provider),
        "networks": [str(n) for n in sorted(provider.networks.all(), key=lambda n: (not n.cidr, n.first, n.asn or 0))],
        "contacts": [contact_state(c) for c in provider.contacts.all()],
        "overrides": [override_state(o) for o in provider.overrides.select_related("provider")],
        "created": provider.created.isoformat(), "updated": provider.updated.isoformat(),
    }


def _locked(slug: str) -> Provider:
    provider = Provider.objects.select_for_update().filter(slug=slug).first()
    if provider is None:
        raise UnknownProvider(f"no provider {slug!r} in the directory")
    return provider
