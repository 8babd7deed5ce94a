"""The provider directory: every edit audited with before and after; bad values change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from sentinelle.attribution.exceptions import InvalidDirectoryEntry, ProviderExists, UnknownProvider
from sentinelle.attribution.models import Contact, Override, Provider, ProviderNetwork
from sentinelle.attribution.providers import (
    add_network,
    add_note,
    add_override,
    create_provider,
    remove_contact,
    remove_network,
    remove_override,
    set_contact,
    summary,
    update_provider,
)
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.audit.verify import verify

pytestmark = pytest.mark.django_db


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_every_directory_edit_writes_one_audit_event_with_before_and_after(operator: Actor) -> None:
    create_provider("kestrel-cloud", "Kestrel Cloud", actor=operator, countries="be, fr", notes="first")
    (created,) = events("provider:create")
    assert (created.actor, created.target_id, created.after["countries"]) == ("operator-1", "kestrel-cloud", "BE,FR")

    update_provider("kestrel-cloud", actor=operator, name="Kestrel Cloud SA", kind="hosting")
    (updated,) = events("provider:update")
    assert (updated.before["name"], updated.after["name"]) == ("Kestrel Cloud", "Kestrel Cloud SA")

    add_note("kestrel-cloud", "answers within the hour", actor=operator)
    noted = events("provider:update")[-1]
    assert noted.details == {"note": "answers within the hour"}
    assert noted.after["notes"].endswith("operator-1: answers within the hour")

    add_network("kestrel-cloud", actor=operator, cidr="127.64.1.0/24")
    add_network("kestrel-cloud", actor=operator, asn=64500)
    assert [e.after for e in events("provider:network-add")] == [{"network": "127.64.1.0/24"}, {"network": "AS64500"}]

    set_contact("kestrel-cloud", "abuse@kestrel-cloud.test", actor=operator, language="fr", preferred=True)
    set_contact("kestrel-cloud", "abuse@kestrel-cloud.test", actor=operator, language="en", preferred=True)
    first, second = events("contact:set")
    assert first.before is None and first.after["language"] == "fr"
    assert (second.before["language"], second.after["language"]) == ("fr", "en")
    assert Contact.objects.count() == 1

    add_override("domain", "Glade-1.Example.", "kestrel-cloud", reason="reseller of Kestrel", actor=operator)
    (override,) = events("attribution:override")
    assert override.after["value"] == "glade-1.example" and override.target_id == "domain:glade-1.example"

    remove_override("domain", "glade-1.example", actor=operator, reason="contract ended")
    remove_contact("kestrel-cloud", "abuse@kestrel-cloud.test", actor=operator)
    remove_network("kestrel-cloud", "AS64500", actor=operator)
    assert events("attribution:override-remove")[0].before["reason"] == "reseller of Kestrel"
    assert events("contact:remove")[0].before["address"] == "abuse@kestrel-cloud.test"
    assert events("provider:network-remove")[0].before == {"network": "AS64500"}
    assert summary(Provider.objects.get())["networks"] == ["127.64.1.0/24"]
    assert verify().ok


def test_only_one_contact_per_role_is_preferred(operator: Actor) -> None:
    create_provider("p", "P", actor=operator)
    set_contact("p", "one@p.test", actor=operator, preferred=True)
    set_contact("p", "two@p.test", actor=operator, preferred=True)
    set_contact("p", "https://p.test/hook", actor=operator, channel="webhook", secret_ref="P_WEBHOOK_SECRET")
    assert {c.address: c.preferred for c in Contact.objects.all()} == {
        "one@p.test": False, "two@p.test": True, "https://p.test/hook": False}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda a: create_provider("Bad Slug", "X", actor=a), "slug"),
        (lambda a: create_provider("x", " ", actor=a), "needs a name"),
        (lambda a: create_provider("x", "X", actor=a, kind="isp"), "kind must be one of"),
        (lambda a: create_provider("x", "X", actor=a, countries="FRA"), "two-letter"),
        (lambda a: create_provider("x", "X", actor=a, origin_lookup="ftp://cdn/{url}"), "http(s) URL"),
        (lambda a: create_provider("x", "X", actor=a, origin_lookup="https://cdn.test/origin"), "{url} or {host}"),
        (lambda a: add_network("known", actor=a, cidr="127.64.1.1/24"), "host bits set"),
        (lambda a: add_network("known", actor=a, cidr="10.0.0.0/8", asn=1), "a network (CIDR) or an AS number"),
        (lambda a: add_network("known", actor=a, cidr="127.64.9.0/24"), "already known's"),
        (lambda a: add_network("known", actor=a, asn=0), "AS number"),
        (lambda a: set_contact("known", "not-an-address", actor=a), "e-mail"),
        (lambda a: set_contact("known", "abuse@x.test", actor=a, language="de"), "language"),
        (lambda a: set_contact("known", "abuse@x.test", actor=a, secret_ref="S"), "goes with a webhook"),
        (lambda a: set_contact("known", "https://x.test/hook", actor=a, channel="webhook"), "--secret-ref"),
        (lambda a: set_contact("known", "javascript:alert(1)", actor=a, channel="webhook", secret_ref="S"), "http(s)"),
        (lambda a: add_override("host", "a b", "known", reason="r", actor=a), "not a host name"),
        (lambda a: add_override("network", "10.0.0.0/33", "known", reason="r", actor=a), "not a network"),
        (lambda a: add_override("host", "x.example", "known", reason=" ", actor=a), "needs a reason"),
        (lambda a: add_override("asn", "64500", "known", reason="r", actor=a), "kind must be one of"),
        (lambda a: update_provider("known", actor=a, notes="x"), "cannot change notes"),
        (lambda a: add_note("known", "  ", actor=a), "needs text"),
    ],
)
def test_a_bad_value_is_refused_and_changes_nothing(operator: Actor, edit: Any, message: str) -> None:
    create_provider("known", "Known", actor=operator)
    add_network("known", actor=operator, cidr="127.64.9.0/24")
    before = (AuditEvent.objects.count(), Provider.objects.count(), ProviderNetwork.objects.count(),
              Contact.objects.count(), Override.objects.count(), summary(Provider.objects.get()))
    with pytest.raises(InvalidDirectoryEntry) as refused:
        edit(operator)
    assert message in str(refused.value)
    assert before == (AuditEvent.objects.count(), Provider.objects.count(), ProviderNetwork.objects.count(),
                      Contact.objects.count(), Override.objects.count(), summary(Provider.objects.get()))


def test_unknown_and_duplicate_providers(operator: Actor) -> None:
    create_provider("known", "Known", actor=operator)
    with pytest.raises(ProviderExists):
        create_provider("known", "Again", actor=operator)
    with pytest.raises(UnknownProvider):
        set_contact("ghost", "abuse@ghost.test", actor=operator)
    with pytest.raises(UnknownProvider):
        add_override("host", "x.example", "ghost", reason="r", actor=operator)
    assert len(events("provider:create")) == 1 and AuditEvent.objects.count() == 1


def test_an_upstream_or_registrar_is_never_taken_for_the_host(operator: Actor) -> None:
    from ipaddress import IPv4Address

    from sentinelle.attribution.directory import provider_for

    create_provider("transit", "Transit", actor=operator, kind="upstream")
    add_network("transit", actor=operator, cidr="127.64.0.0/16")  # covers its customers' ranges
    add_network("transit", actor=operator, asn=4200000000)
    create_provider("registrar", "Registrar", actor=operator, kind="registrar")
    add_network("registrar", actor=operator, asn=64499)
    inside = IPv4Address("127.64.1.10")
    assert provider_for(inside, 4200000000) is None
    assert provider_for(None, 64499) is None
    create_provider("host", "Host", actor=operator)
    add_network("host", actor=operator, cidr="127.64.1.0/24")
    match = provider_for(inside, 4200000000)
    assert match is not None and match.provider.slug == "host"
