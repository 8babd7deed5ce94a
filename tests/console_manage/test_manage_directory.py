"""The provider directory through HTTP: everyone with report:view reads it; supervisors change
it through the audited services; bad values (and a webhook to a private address) change nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from manage_support import HOSTILE, actions_after, last_seq, refused, text

from sentinelle.attribution.models import (
    AttributionFlag,
    Contact,
    Override,
    Provider,
    ProviderNetwork,
)
from sentinelle.attribution.providers import create_provider
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from support.console_login import staff

pytestmark = pytest.mark.django_db
BASE = "/en/console/providers/"


def _flag() -> AttributionFlag:
    now = timezone.now()
    return AttributionFlag.objects.create(url="https://x.example/a", url_key="k" * 64, host="x.example",
                                          reason="no-contact", detail=HOSTILE, created=now, updated=now)


def test_an_analyst_reads_the_directory_but_cannot_change_it(client: Client) -> None:
    create_provider("kestrel", "Kestrel <Cloud>", actor=Actor.user("root"), countries="be")
    flag = _flag()
    staff(client, "ana")
    listing = text(client, f"{BASE}?q=kest")
    assert 'href="/en/console/providers/kestrel/"' in listing and "Kestrel &lt;Cloud&gt;" in listing
    assert "Create the provider" not in listing and 'id="providers-empty"' in text(client, f"{BASE}?q=zzz")
    page = text(client, f"{BASE}kestrel/")
    assert 'id="countries">BE<' in page and "Save the contact" not in page
    flags = text(client, f"{BASE}flags/")
    assert "https://x.example/a" in flags and "&lt;script&gt;" in flags and "<script>" not in flags
    before = last_seq()
    assert client.post(f"{BASE}create/", {"slug": "x", "name": "X", "kind": "hosting"}).status_code == 403
    assert client.post(f"{BASE}kestrel/network-add/", {"cidr": "192.0.2.0/24"}).status_code == 403
    assert client.post(f"{BASE}flags/{flag.pk}/resolve/", {"resolution": "done"}).status_code == 403
    assert last_seq() == before and not ProviderNetwork.objects.exists()


def test_a_supervisor_edits_a_provider(client: Client) -> None:
    staff(client, "sam", "supervisor")
    before = last_seq()
    answer = client.post(f"{BASE}create/", {"slug": "kestrel", "name": "Kestrel", "kind": "hosting",
                                            "countries": "be, fr"})
    assert answer.status_code == 302 and answer["Location"] == f"{BASE}kestrel/?done=provider-created"
    client.post(f"{BASE}kestrel/update/", {"name": "Kestrel Cloud", "kind": "cdn", "countries": "BE"})
    client.post(f"{BASE}kestrel/note/", {"text": f"answers in French {HOSTILE}"})
    client.post(f"{BASE}kestrel/network-add/", {"cidr": "192.0.2.0/24"})
    client.post(f"{BASE}kestrel/network-add/", {"asn": "64500"})
    client.post(f"{BASE}kestrel/network-remove/", {"network": "AS64500"})
    client.post(f"{BASE}kestrel/contact-set/", {"address": "abuse@kestrel.example", "channel": "email",
                                                 "role": "abuse", "language": "fr", "preferred": "on"})
    client.post(f"{BASE}kestrel/contact-set/", {"address": "https://hooks.kestrel.example/n", "channel": "webhook",
                                                 "role": "abuse", "language": "en", "secret_ref": "KESTREL_HOOK"})
    client.post(f"{BASE}kestrel/contact-remove/", {"address": "https://hooks.kestrel.example/n"})
    client.post(f"{BASE}kestrel/override-add/", {"kind": "domain", "value": "Kestrel-Files.example",
                                                  "reason": "their CDN"})
    provider = Provider.objects.get(slug="kestrel")
    assert (provider.name, provider.kind, provider.countries) == ("Kestrel Cloud", "cdn", "BE")
    assert [str(n) for n in provider.networks.all()] == ["192.0.2.0/24"]
    assert list(Contact.objects.values_list("address", "language", "preferred")) == [
        ("abuse@kestrel.example", "fr", True)]
    assert Override.objects.get().value == "kestrel-files.example"
    page = text(client, f"{BASE}kestrel/?done=override-added")
    assert "The override was added." in page and "kestrel-files.example" in page
    client.post(f"{BASE}kestrel/override-remove/", {"kind": "domain", "value": "kestrel-files.example",
                                                     "reason": "moved"})
    assert not Override.objects.exists()
    assert actions_after(before) == [
        AuditAction.PROVIDER_CREATE, AuditAction.PROVIDER_UPDATE, AuditAction.PROVIDER_UPDATE,
        AuditAction.PROVIDER_NETWORK_ADD,
        AuditAction.PROVIDER_NETWORK_ADD, AuditAction.PROVIDER_NETWORK_REMOVE, AuditAction.CONTACT_SET,
        AuditAction.CONTACT_SET, AuditAction.CONTACT_REMOVE, AuditAction.ATTRIBUTION_OVERRIDE,
        AuditAction.ATTRIBUTION_OVERRIDE_REMOVE]
    assert AuditEvent.objects.filter(actor="sam", target_id="kestrel").count() == 9
    assert "sam: answers in French &lt;script&gt;" in page and "<script>" not in page


@pytest.mark.parametrize(("change", "values", "says"), [
    ("network-add", {"cidr": "192.0.2.1/24"}, "not a network"),
    ("network-add", {}, "give a network"),
    ("contact-set", {"address": "not an address", "channel": "email", "role": "abuse", "language": "en"},
     "not an e-mail address"),
    ("contact-set", {"address": "http://127.0.0.1:6379/", "channel": "webhook", "role": "abuse",
                     "language": "en", "secret_ref": "HOOK"}, "not allowed"),
    ("contact-set", {"address": "http://169.254.169.254/latest", "channel": "webhook", "role": "abuse",
                     "language": "en", "secret_ref": "HOOK"}, "metadata"),
    ("contact-set", {"address": "http://[::ffff:10.0.0.1]/", "channel": "webhook", "role": "abuse",
                     "language": "en", "secret_ref": "HOOK"}, "private"),
    ("contact-set", {"address": "https://localhost/hook", "channel": "webhook", "role": "abuse",
                     "language": "en", "secret_ref": "HOOK"}, "this machine"),
    ("contact-set", {"address": "https://hooks.example/n", "channel": "webhook", "role": "abuse",
                     "language": "en"}, "secret"),
    ("override-add", {"kind": "host", "value": "bad host!", "reason": "r"}, "not a host name"),
    ("update", {"name": "K", "kind": "hosting", "countries": "Belgium"}, "two-letter"),
    ("note", {"text": ""}, "text"),
])
def test_bad_values_are_refused_and_change_nothing(client: Client, change: str, values: dict[str, str],
                                                   says: str) -> None:
    create_provider("kestrel", "Kestrel", actor=Actor.user("root"))
    staff(client, "sam", "supervisor")
    before = last_seq()
    page = refused(client.post(f"{BASE}kestrel/{change}/", values))
    assert says in page, page[page.find('role="alert"'):][:400]
    assert last_seq() == before and not ProviderNetwork.objects.exists() and not Contact.objects.exists()
    assert Provider.objects.get().name == "Kestrel"


def test_flags_are_resolved_with_what_was_done(client: Client) -> None:
    flag = _flag()
    staff(client, "sam", "supervisor")
    refused(client.post(f"{BASE}flags/{flag.pk}/resolve/", {"resolution": ""}))
    answer = client.post(f"{BASE}flags/{flag.pk}/resolve/", {"resolution": "added the contact"})
    assert answer.status_code == 302 and answer["Location"] == f"{BASE}flags/?done=flag-resolved"
    flag.refresh_from_db()
    assert not flag.open and flag.resolved_by == "sam" and flag.resolution == "added the contact"
    assert AuditEvent.objects.filter(action=AuditAction.ATTRIBUTION_FLAG_RESOLVE, actor="sam").count() == 1
    assert 'id="flags-empty"' in text(client, f"{BASE}flags/")
    assert client.get(f"{BASE}nobody/").status_code == 404
    assert "Annuaire des hébergeurs" in text(client, "/fr/console/providers/")
