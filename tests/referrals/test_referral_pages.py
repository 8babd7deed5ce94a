"""The referral pages: the printable page (escaped text, print style sheet, French), a referral
of notice items from a notice's page, the list, refusals (no agency, nothing named, CSRF,
visitors) and a stored package that was altered."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from referrals_support import case

from sentinelle.audit.models import AuditEvent
from sentinelle.referrals.models import Referral
from support.console_login import staff

pytestmark = pytest.mark.django_db


def test_the_printable_page_shows_the_package_escaped(client: Client) -> None:
    found = case()
    staff(client, "ana")
    made = client.post("/en/console/referrals/new/", {"agency": "Unit <b>7</b>", "report": found.report.reference})
    referral = Referral.objects.get()
    page = client.get(made["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;alert" in text and "Unit &lt;b&gt;7" in text
    assert 'role="status"' in text and referral.package_sha256 in text and "/static/referrals/print.css" in text
    assert "Example Hosting" in text and "AS64500 EXAMPLE-AS" in text and "192.0.2.44" in text
    assert str(found.notice.reference) in text and "known-list · csam · md5 0" in text
    assert f'href="/en/console/referrals/{referral.reference}/package.json"' in text and 'href="http' not in text
    assert "withheld" in text and "parent@example.org" not in text
    listed = client.get("/en/console/referrals/").content.decode()
    assert f'href="/en/console/referrals/{referral.reference}/"' in listed and "Unit &lt;b&gt;7" in listed
    french = client.get(f"/fr/console/referrals/{referral.reference}/").content.decode()
    assert "Ce qui a été trouvé" in french and "Où c\u2019est hébergé" in french and '<html lang="fr">' in french
    assert AuditEvent.objects.filter(action="referral:download").count() == 2


def test_notice_items_are_referred_from_the_notice_page(client: Client) -> None:
    found = case()
    staff(client, "ana")
    page = client.get(f"/en/console/notices/{found.notice.reference}/").content.decode()
    assert f'name="item" value="{found.item.report_id}"' in page
    form = client.get(f"/en/console/referrals/new/?item={found.item.report_id}&item=not-a-uuid").content.decode()
    assert found.item.url in form and 'name="include_contact"' not in form
    client.post("/en/console/referrals/new/", {"agency": "Police", "item": str(found.item.report_id)})
    referral = Referral.objects.get()
    package = json.loads(referral.package)
    assert package["report"] is None and [i["report_id"] for i in package["notice_items"]] == [str(found.item.report_id)]
    assert package["sightings"][0]["media"]["sha256"] == found.item.sha256 and package["hosting"][0]["country"] == "NL"
    assert list(referral.items.all()) == [found.item]
    targets = {e["target"].split(":", 1)[0] for e in package["audit"]["events"]}
    assert targets == {"notice", "crawl_request"}  # no report was named: none of its events


def test_refusals_change_nothing(client: Client) -> None:
    found = case()
    answer = client.get("/en/console/referrals/")
    assert answer.status_code == 302 and answer["Location"].startswith("/en/accounts/login/")
    checked = Client(enforce_csrf_checks=True)
    staff(checked, "ana")
    assert checked.post("/en/console/referrals/new/", {"agency": "P", "report": found.report.reference}).status_code == 403
    token = str(checked.get(f"/en/console/referrals/new/?report={found.report.reference}").context["csrf_token"])
    empty = checked.post("/fr/console/referrals/new/", {"agency": " ", "report": found.report.reference,
                                                        "csrfmiddlewaretoken": token})
    assert empty.status_code == 400 and "Indiquez le service destinataire" in empty.content.decode()
    nothing = checked.post("/en/console/referrals/new/", {"agency": "P", "report": "TL-NONE", "csrfmiddlewaretoken": token})
    assert nothing.status_code == 400 and "Name a report or at least one notice item" in nothing.content.decode()
    assert not Referral.objects.exists() and not AuditEvent.objects.filter(action="referral:create").exists()
    assert checked.get("/en/console/referrals/RF-2026-999999/").status_code == 404


def test_an_altered_package_is_refused(client: Client) -> None:
    found = case()
    staff(client, "ana")
    client.post("/en/console/referrals/new/", {"agency": "Police", "report": found.report.reference})
    referral = Referral.objects.get()
    Referral.objects.filter(pk=referral.pk).update(package=referral.package.replace("Police", "Someone"))
    for address in (f"/en/console/referrals/{referral.reference}/", f"/en/console/referrals/{referral.reference}/package.json"):
        refused = client.get(address)
        assert refused.status_code == 409 and "SHA-256 differs" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="referral:download").exists()
