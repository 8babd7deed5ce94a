"""Operator overrides and directory contacts win over RDAP; a CDN is recognised, its origin recorded."""

from __future__ import annotations

from typing import Any

import pytest
from attribution_support import SandboxInternet

from sentinelle.attribution.chain import Role
from sentinelle.attribution.providers import add_network, add_override, create_provider, set_contact
from sentinelle.attribution.services import attribute, recipients_for
from sentinelle.audit.services import Actor

pytestmark = pytest.mark.django_db


def reseller(operator: Actor) -> None:
    create_provider("quiet-reseller", "Quiet Reseller", actor=operator, countries="CA")
    set_contact("quiet-reseller", "takedown@reseller.test", actor=operator, language="fr", preferred=True)
    set_contact("quiet-reseller", "https://reseller.test/hook", actor=operator, channel="webhook",
                secret_ref="RESELLER_HOOK_SECRET")


@pytest.mark.parametrize("kind", ["host", "domain", "network"])
def test_an_override_wins_over_rdap(sandbox_env: SandboxInternet, attributor: Any, operator: Actor, kind: str) -> None:
    provider = sandbox_env.provider(style="embedded")
    url = sandbox_env.site_url(provider, "/list/1.html")
    host = url.split("//")[1].split(":")[0]
    value = {"host": host, "domain": host.removeprefix("www."), "network": provider["network"]}[kind]
    reseller(operator)
    add_override(kind, value, "quiet-reseller", reason="the network resells to this host", actor=operator)
    row, chain = attribute(url, attributor=attributor)
    (recipient,) = chain.recipients  # the preferred contact only
    assert (recipient.email, recipient.language, recipient.provider, recipient.source) == (
        "takedown@reseller.test", "fr", "quiet-reseller", "override")
    assert chain.override == {"provider": "quiet-reseller", "name": "Quiet Reseller", "kind": "hosting",
                              "matched": f"{kind} {value}", "reason": "the network resells to this host"}
    assert row.provider.slug == "quiet-reseller" and row.status == "ok"
    assert chain.rdap["contact"]["email"] == provider["abuse_email"]  # RDAP still shown in the chain


def test_an_override_wins_even_while_the_registry_is_down(
    sandbox_env: SandboxInternet, attributor: Any, operator: Actor
) -> None:
    provider = sandbox_env.provider(registry="rdap.east.test")
    url = sandbox_env.site_url(provider)
    reseller(operator)
    add_override("network", provider["network"], "quiet-reseller", reason="known reseller", actor=operator)
    row, chain = attribute(url, attributor=attributor)
    assert row.status == "ok" and row.reasons == []  # nothing for an analyst to do
    assert any(note.startswith("rdap-unavailable: ") for note in chain.notes)
    assert [r.email for r in recipients_for(url)] == ["takedown@reseller.test"]


def test_a_host_override_beats_a_domain_override_which_beats_the_directory(
    sandbox_env: SandboxInternet, attributor: Any, operator: Actor
) -> None:
    provider = sandbox_env.provider(style="linked")
    url = sandbox_env.site_url(provider)
    host = url.split("//")[1].split(":")[0]
    for slug in ("by-directory", "by-domain", "by-host"):
        create_provider(slug, slug.title(), actor=operator)
        set_contact(slug, f"abuse@{slug}.test", actor=operator)
    add_network("by-directory", actor=operator, cidr=provider["network"])
    assert attribute(url, attributor=attributor)[1].recipients[0].email == "abuse@by-directory.test"
    add_override("domain", host.removeprefix("www."), "by-domain", reason="r", actor=operator)
    assert attribute(url, attributor=attributor)[1].recipients[0].email == "abuse@by-domain.test"
    add_override("host", host, "by-host", reason="r", actor=operator)
    _, chain = attribute(url, attributor=attributor)
    assert (chain.recipients[0].email, chain.recipients[0].source) == ("abuse@by-host.test", "override")


def test_a_directory_provider_without_contacts_gets_the_rdap_contact_and_its_name(
    sandbox_env: SandboxInternet, attributor: Any, operator: Actor
) -> None:
    provider = sandbox_env.provider(style="embedded")
    create_provider(provider["slug"], provider["name"], actor=operator)
    add_network(provider["slug"], actor=operator, asn=provider["asn"])
    _, chain = attribute(sandbox_env.site_url(provider), attributor=attributor)
    (recipient,) = chain.recipients
    assert (recipient.email, recipient.provider, recipient.source) == (
        provider["abuse_email"], provider["slug"], "rdap-abuse")
    assert chain.directory["matched"] == f"AS{provider['asn']}"


def cdn_entry(sandbox_env: SandboxInternet, operator: Actor) -> dict[str, Any]:
    cdn = sandbox_env.cdn
    create_provider(cdn["slug"], cdn["name"], actor=operator, kind="cdn",
                    origin_lookup=cdn["origin_url"] + "?url={url}")
    add_network(cdn["slug"], actor=operator, cidr=cdn["network"])
    return cdn


def test_a_cdn_is_told_and_the_origin_it_reveals_is_recorded(
    sandbox_env: SandboxInternet, attributor: Any, operator: Actor
) -> None:
    cdn = cdn_entry(sandbox_env, operator)
    fronted = sandbox_env.fronted
    origin_provider = next(p for p in sandbox_env.of_type("provider") if p["slug"] == fronted["provider"])
    url = fronted["url"] + "photos/1.html"
    row, chain = attribute(url, attributor=attributor)
    (recipient,) = chain.recipients
    assert (recipient.role, recipient.email, recipient.provider) == (Role.CDN, cdn["abuse_email"], cdn["slug"])
    assert (row.cdn, row.origin_ip, row.address) == (cdn["name"], fronted["origin_ip"], fronted["edge_ip"])
    origin = chain.cdn["origin"]
    assert origin["lookup"].startswith(cdn["origin_url"] + "?url=http%3A%2F%2F")
    assert origin["answer"]["url"] == url
    assert origin["asn"]["asn"] == origin_provider["asn"]
    assert origin["rdap"]["network"]["cidrs"] == [fronted["origin_network"]]
    assert origin["rdap"]["contact"]["email"] == origin_provider["abuse_email"]
    assert row.status == "ok"


def test_a_cdn_that_does_not_front_the_url_says_so(sandbox_env: SandboxInternet, attributor: Any, operator: Actor) -> None:
    cdn = cdn_entry(sandbox_env, operator)
    provider = sandbox_env.provider(style="embedded")
    url = sandbox_env.site_url(provider)
    add_override("host", url.split("//")[1].split(":")[0], cdn["slug"], reason="test", actor=operator)
    _, chain = attribute(url, attributor=attributor)
    assert chain.cdn["origin"]["error"] == "the CDN says it does not front this URL"
    assert chain.recipients[0].role is Role.CDN


def test_a_well_known_cdn_is_recognised_by_its_as_number(sandbox_env: SandboxInternet, operator: Actor, db: None,
                                                          tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """An ASN file in which the CDN's range belongs to AS13335: Cloudflare, from the built-in table."""
    from sentinelle.attribution.wiring import build_attributor

    table = sandbox_env.asn_db.read_text().replace(f"\t{sandbox_env.cdn['asn']}\t", "\t13335\t")
    (tmp_path / "asn.tsv").write_text(table)
    attributor = build_attributor(sandbox_env.sandbox.resolver, asn_db=str(tmp_path / "asn.tsv"))
    _, chain = attribute(sandbox_env.fronted["url"], attributor=attributor)
    assert chain.cdn["name"] == "Cloudflare" and chain.cdn["recognised_by"] == "AS13335 (built-in table)"
    assert chain.recipients[0].role is Role.CDN
    assert chain.recipients[0].email == sandbox_env.cdn["abuse_email"]
