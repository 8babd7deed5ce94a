"""A referral made through HTTP from a report's page: the JSON package (format, report text,
hashes, matches, hosting, notice items, audit trail; never a picture), recorded and audited,
its SHA-256 checked; the reporter's contact details only when asked for and allowed."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from referrals_support import HOSTILE, MEDIA_URL, case

from sentinelle.accounts.permissions import ROLE_PERMISSIONS, Permission, Role
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.verify import verify
from sentinelle.referrals.models import Referral
from support.console_login import staff
from support.notice_builders import digest

pytestmark = pytest.mark.django_db


def refer(client: Client, **fields: Any) -> Referral:
    made = client.post("/en/console/referrals/new/", {"agency": "National Child Exploitation Unit", **fields})
    assert made.status_code == 302, made.content.decode()[-2000:]
    referral = Referral.objects.get()
    assert made["Location"] == f"/en/console/referrals/{referral.reference}/?made=1"
    return referral


def download(client: Client, referral: Referral) -> tuple[bytes, dict[str, Any]]:
    answer = client.get(f"/en/console/referrals/{referral.reference}/package.json")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json; charset=utf-8"
    assert answer["Content-Disposition"] == f'attachment; filename="{referral.reference}.json"'
    assert answer["X-Sentinelle-Package-SHA256"] == referral.package_sha256
    return answer.content, json.loads(answer.content)


def test_a_report_referral_package_holds_what_was_reported_found_hosted_and_asked(client: Client) -> None:
    found = case()
    staff(client, "ana")
    report_page = client.get(f"/en/console/reports/{found.report.reference}/").content.decode()
    assert f'href="/en/console/referrals/new/?report={found.report.reference}"' in report_page
    form = client.get(f"/en/console/referrals/new/?report={found.report.reference}").content.decode()
    assert 'name="include_contact"' in form and "parent@example.org" not in form
    referral = refer(client, report=found.report.reference, include_contact="yes", note="Urgent: danger now.")
    assert referral.reference is not None and referral.reference.startswith("RF-2026-")
    assert (referral.created_by, referral.report_id, referral.contact_included) == ("ana", found.report.pk, True)
    raw, package = download(client, referral)
    assert hashlib.sha256(raw).hexdigest() == referral.package_sha256 and raw.decode() == referral.package
    assert package["format"] == "sentinelle-referral/1" and package["reference"] == referral.reference
    assert package["agency"] == "National Child Exploitation Unit" and package["note"] == "Urgent: danger now."
    report = package["report"]
    assert report["what_happened"] == f"A gallery {HOSTILE}" and report["danger_now"] is True
    assert report["reporter_contact"] == {"name": "Pat Parent", "email": "parent@example.org", "phone": ""}
    [seen] = package["sightings"]
    assert seen["url"] == MEDIA_URL and seen["media"]["sha256"] == digest("sha256", 7)
    assert (seen["media"]["md5"], seen["media"]["sha1"]) == (digest("md5", 7), digest("sha1", 7))
    assert seen["matches"] == [{"list": "known-list", "category": "csam", "signal_type": "md5",
                                "hash": digest("md5", 7), "distance": 0, "transform": "", "confirmed": True}]
    [place] = package["hosting"]
    assert (place["provider"], place["asn"], place["country"], place["ip"]) == ("Example Hosting", 64500, "NL",
                                                                               "192.0.2.44")
    [item] = package["notice_items"]
    assert (item["notice"], item["status"], item["report_id"]) == (found.notice.reference, "open",
                                                                   str(found.item.report_id))
    actions = [(e["action"], e["target"]) for e in package["audit"]["events"]]
    assert ("report:create", f"tipline.report:{found.report.pk}") in actions
    assert ("notice:send", f"notice:{found.notice.reference}") in actions
    assert any(action == "crawl:request" for action, _ in actions)
    assert all(e["seq"] <= package["audit"]["up_to_seq"] for e in package["audit"]["events"])
    assert "referral:create" not in {action for action, _ in actions}
    for key in ("bytes", "image", "thumbnail", "data"):
        assert f'"{key}"' not in raw.decode()  # hashes and metadata only
    created = AuditEvent.objects.get(action="referral:create")
    assert created.target_id == referral.reference and created.after["sha256"] == referral.package_sha256
    assert created.after["contact_included"] is True and "parent@example.org" not in json.dumps(created.after)
    assert AuditEvent.objects.filter(action="referral:download", target_id=referral.reference).count() == 1
    assert verify().ok


def test_contact_details_are_left_out_unless_asked_for_and_allowed(client: Client,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    found = case()
    staff(client, "ana")
    referral = refer(client, report=found.report.reference)  # not asked for
    _, package = download(client, referral)
    assert package["report"]["reporter_contact"] is None
    assert package["report"]["reporter_contact_state"] == "withheld" and "parent@example.org" not in referral.package
    Referral.objects.all().delete()
    client.post("/en/console/referrals/new/", {"agency": "Police", "report": found.report.reference,
                                               "include_contact": "yes"})
    with_contact = Referral.objects.get()
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.ANALYST, ROLE_PERMISSIONS[Role.ANALYST] - {Permission.REPORT_TRIAGE})
    assert client.get(f"/en/console/referrals/{with_contact.reference}/").status_code == 403
    assert client.get(f"/en/console/referrals/{with_contact.reference}/package.json").status_code == 403
    form = client.get(f"/en/console/referrals/new/?report={found.report.reference}").content.decode()
    assert 'name="include_contact"' not in form and "Only analysts who triage reports may include them." in form
    client.post("/en/console/referrals/new/", {"agency": "Police", "report": found.report.reference,
                                               "include_contact": "yes"})
    latest = Referral.objects.exclude(pk=with_contact.pk).get()
    assert not latest.contact_included and "parent@example.org" not in latest.package


def test_erased_contact_details_never_reach_a_package(client: Client) -> None:
    found = case()
    type(found.report).objects.filter(pk=found.report.pk).update(
        contact_name="", contact_email="", contact_phone="", contact_purged_at=found.report.received_at)
    staff(client, "ana")
    referral = refer(client, report=found.report.reference, include_contact="yes")
    assert json.loads(referral.package)["report"]["reporter_contact_state"] == "erased"
    assert not referral.contact_included
