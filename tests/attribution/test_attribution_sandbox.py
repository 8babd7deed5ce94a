"""Attribution against the sandbox's real RDAP registries, ASN file and CDN (loopback only).

The manifest is the truth: each provider's network, ASN, country, abuse address, how its
registry publishes it (embedded, linked, none) and its language.
"""

from __future__ import annotations

from datetime import timedelta
from ipaddress import ip_address, ip_network
from typing import Any

import pytest
from attribution_support import SandboxInternet

from sentinelle.attribution.chain import Role
from sentinelle.attribution.models import Attribution, AttributionFlag, RdapCacheEntry
from sentinelle.attribution.services import attribute, recipients_for, retry_due

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("style", ["embedded", "linked"])
def test_the_abuse_contact_comes_from_the_regional_registry_the_bootstrap_redirects_to(
    sandbox_env: SandboxInternet, attributor: Any, style: str
) -> None:
    provider = sandbox_env.provider(style=style)
    url = sandbox_env.site_url(provider, "/list/1.html")
    row, chain = attribute(url, attributor=attributor)
    assert (row.status, chain.reasons) == ("ok", [])
    (recipient,) = chain.recipients
    assert (recipient.email, recipient.role, recipient.language, recipient.source) == (
        provider["abuse_email"], Role.HOSTING, provider["language"], "rdap-abuse")
    # ASN, organisation and country from the ASN file, with the file named as the source
    assert (row.asn, row.country) == (provider["asn"], provider["country"])
    assert provider["name"] in row.as_name
    assert chain.asn["source"]["file"] == str(sandbox_env.asn_db)
    # the network from RDAP: the bootstrap redirected to the provider's registry
    network = chain.rdap["network"]
    assert network["handle"] == provider["network_handle"] and network["cidrs"] == [provider["network"]]
    source = network["source"]
    assert source["redirects"] == [f"{sandbox_env.sandbox.rdap_url}ip/{row.address}"]
    assert source["answered_by"].startswith(f"http://{provider['rdap_registry']}:{sandbox_env.port}/ip/")
    contact = chain.rdap["contact"]
    assert contact["followed"] is (style == "linked")
    if style == "linked":  # the entity was fetched from its self link
        (followed,) = chain.rdap["entities_followed"]
        assert followed["answered_by"].startswith(f"http://{provider['rdap_registry']}:{sandbox_env.port}/entity/")
        assert contact["source_url"] == followed["answered_by"]
    assert ip_address(row.address) in ip_network(provider["network"])


def test_a_network_without_an_abuse_entity_falls_back_and_is_flagged(sandbox_env: SandboxInternet, attributor: Any) -> None:
    provider = sandbox_env.provider(style="none")
    row, chain = attribute(sandbox_env.site_url(provider), attributor=attributor)
    assert row.status == "flagged" and row.reasons == ["no-abuse-contact"]
    (recipient,) = chain.recipients
    assert (recipient.email, recipient.source) == (provider["technical_email"], "rdap-technical")
    (flag,) = AttributionFlag.objects.filter(url_key=row.url_key)
    assert flag.open and flag.reason == "no-abuse-contact" and flag.retry_at is None
    assert provider["technical_email"] in flag.detail


def test_a_down_registry_flags_the_url_then_a_retry_attributes_it_once_the_registry_is_back(
    sandbox_env: SandboxInternet, attributor: Any
) -> None:
    provider = sandbox_env.provider(registry="rdap.east.test")
    url = sandbox_env.site_url(provider)
    row, chain = attribute(url, attributor=attributor)
    assert row.status == "flagged" and set(row.reasons) == {"rdap-unavailable", "no-recipient"}
    assert chain.recipients == [] and recipients_for(url) == []
    flag = AttributionFlag.objects.get(url_key=row.url_key, reason="rdap-unavailable")
    assert "503" in flag.detail
    # due no earlier than the registry's Retry-After (30 s) and the first backoff step (5 min)
    assert flag.retry_at == row.attributed + timedelta(minutes=5)
    assert retry_due(attributor, now=flag.retry_at - timedelta(seconds=1)) == []  # not due yet

    sandbox_env.sandbox.set_rdap_up("rdap.east.test", True)
    (retried,) = retry_due(attributor, now=flag.retry_at)
    assert retried.status == "ok" and retried.recipients[0]["email"] == provider["abuse_email"]
    flag.refresh_from_db()
    assert (flag.open, flag.resolved_by, flag.retry_at) == (False, "system:attribution", None)
    assert AttributionFlag.objects.filter(url_key=row.url_key).count() == 2  # closed, kept


def test_an_expired_answer_is_used_and_reported_stale_while_the_registry_is_down(
    sandbox_env: SandboxInternet, attributor: Any
) -> None:
    provider = sandbox_env.provider(registry="rdap.east.test")
    url = sandbox_env.site_url(provider)
    sandbox_env.sandbox.set_rdap_up("rdap.east.test", True)
    attribute(url, attributor=attributor)
    RdapCacheEntry.objects.update(expires=Attribution.objects.get().attributed - timedelta(hours=1),
                                  fetched=Attribution.objects.get().attributed - timedelta(hours=30))
    sandbox_env.sandbox.set_rdap_up("rdap.east.test", False)
    row, chain = attribute(url, attributor=attributor)
    assert row.reasons == ["rdap-stale"]
    assert chain.recipients[0].email == provider["abuse_email"]  # from the stale answer
    source = chain.rdap["network"]["source"]
    assert source["cache"] == "stale" and source["age_seconds"] >= 30 * 3600 and "503" in source["error"]
    flag = AttributionFlag.objects.get(reason="rdap-stale")
    assert "30.0 h ago" in flag.detail and flag.retry_at is not None

    sandbox_env.sandbox.set_rdap_up("rdap.east.test", True)
    (retried,) = retry_due(attributor, now=flag.retry_at)
    assert retried.status == "ok"
    assert retried.chain["rdap"]["network"]["source"]["cache"] == "fetched"


def test_an_unreachable_registry_is_unavailable_too(sandbox_env: SandboxInternet, attributor: Any) -> None:
    from sentinelle.sandbox import RdapState

    sandbox_env.sandbox.set_rdap_state("rdap.east.test", RdapState.UNREACHABLE)
    row, _ = attribute(sandbox_env.site_url(sandbox_env.provider(registry="rdap.east.test")), attributor=attributor)
    assert "rdap-unavailable" in row.reasons


def test_fresh_answers_come_from_the_cache_without_asking_the_registry(sandbox_env: SandboxInternet, attributor: Any) -> None:
    provider = sandbox_env.provider(style="linked", registry="rdap.south.test")
    url = sandbox_env.site_url(provider)
    attribute(url, attributor=attributor)
    asked = len(sandbox_env.sandbox.rdap_requests)
    _, chain = attribute(url, attributor=attributor)
    assert len(sandbox_env.sandbox.rdap_requests) == asked
    assert chain.rdap["network"]["source"]["cache"] == "cached"
    assert chain.rdap["entities_followed"][0]["cache"] == "cached"
    assert chain.recipients[0].email == provider["abuse_email"]


def test_a_url_whose_host_does_not_resolve_is_flagged_not_dropped(sandbox_env: SandboxInternet, attributor: Any) -> None:
    row, chain = attribute(f"http://www.nowhere.example:{sandbox_env.port}/x.jpg", attributor=attributor)
    assert set(row.reasons) == {"unresolvable", "no-recipient"}
    assert chain.addresses["values"] == [] and "not a sandbox host" in chain.addresses["error"]
    flag = AttributionFlag.objects.get(reason="unresolvable")
    assert flag.retry_at is not None and flag.url == f"http://www.nowhere.example:{sandbox_env.port}/x.jpg"


def test_an_unrouted_address_is_flagged(sandbox_env: SandboxInternet, attributor: Any) -> None:
    row, chain = attribute(f"http://127.100.0.1:{sandbox_env.port}/", attributor=attributor)
    assert {"no-asn", "rdap-not-found", "no-recipient"} <= set(row.reasons)
    assert "not routed" in dict((str(r), d) for r, d in chain.reasons)["no-asn"]


def test_the_registrar_is_a_second_recipient_when_configured(
    sandbox_env: SandboxInternet, make_attributor: Any, monkeypatch: pytest.MonkeyPatch, db: None
) -> None:
    monkeypatch.setenv("SENTINELLE_NOTIFY_REGISTRAR", "true")
    provider = sandbox_env.provider(style="embedded")
    url = sandbox_env.site_url(provider)
    _, chain = attribute(url, attributor=make_attributor())
    hosting, registrar = chain.recipients
    assert hosting.email == provider["abuse_email"]
    assert registrar.role is Role.REGISTRAR and registrar.email and registrar.email.endswith(".test")
    domain = url.split("//")[1].split(":")[0].removeprefix("www.")
    assert chain.registrar["domain"] == domain
    assert chain.registrar["source"]["answered_by"].startswith(f"http://rdap.north.test:{sandbox_env.port}/domain/")
    assert [r.role for r in recipients_for(url)] == [Role.HOSTING, Role.REGISTRAR]
