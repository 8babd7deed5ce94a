"""A report's page through HTTP: its text escaped, its URLs and everything the crawler found
there (no picture), the reporter's contact details, and the audited outcome form (CSRF)."""

from __future__ import annotations

import logging

import pytest
from console_support import attribute, found, notice_item, report, staff
from django.test import Client

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.verify import verify
from sentinelle.console.models import ReportOutcome

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_the_report_page_shows_its_urls_and_what_the_crawler_found(client: Client) -> None:
    given = report("https://files.example.net/gallery\nhttp://127.0.0.1:6379/", danger=True,
                   what_happened=f"Pictures {HOSTILE}", when_happened=HOSTILE, contact_name=HOSTILE)
    seen = found(given)
    attribute(seen)
    notice_item(seen, status="removed")
    found(given, sha="b" * 64, matched=False)
    staff(client, "ana")
    page = client.get(f"/en/console/reports/{given.reference}/")
    text = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;" in text
    assert 'id="danger"' in text and "Child sexual abuse material" in text
    assert "https://files.example.net/gallery" in text and "http://127.0.0.1:6379/" in text
    assert "Not crawled:" in text and '<span class="status">queued</span>' in text
    assert f"sha256:{'a' * 64}" in text and "known-list · A1 · md5 0" in text
    assert f"sha256:{'b' * 64}" in text and "no match" in text
    assert "Example Hosting, country BE" in text and "no-contact" in text
    assert "SN-2026-000042" in text and 'status-removed">removed<' in text
    assert 'href="http' not in text and 'src="' not in text  # no link or resource from elsewhere
    french = client.get(f"/fr/console/reports/{given.reference}/").content.decode()
    assert "Ce qui s\u2019est passé" in french and "Médias vus" in french
    assert client.get("/en/console/reports/TL-0000-0000/").status_code == 404


def test_contact_details_are_shown_to_triage_and_never_logged(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    given = report(contact_email="parent@example.org", contact_phone="+1 555 0100")
    anonymous = report()
    staff(client, "ana")
    with caplog.at_level(logging.DEBUG):
        text = client.get(f"/en/console/reports/{given.reference}/").content.decode()
        client.post(f"/en/console/reports/{given.reference}/outcome/", {"outcome": "referred"})
    assert "parent@example.org" in text and "+1 555 0100" in text
    assert "parent@example.org" not in caplog.text and "555 0100" not in caplog.text
    assert "parent@example.org" not in str(list(AuditEvent.objects.values()))
    assert "no contact details were given" in client.get(f"/en/console/reports/{anonymous.reference}/").content.decode()


def test_an_outcome_is_audited_and_the_report_leaves_the_queue(client: Client) -> None:
    given, other = report(), report(hours=1)
    staff(client, "ana")
    done = client.post(f"/en/console/reports/{given.reference}/outcome/", {"outcome": "no-violation"})
    assert done.status_code == 302 and done["Location"] == f"/en/console/reports/{given.reference}/?done=outcome"
    shown = client.get(done["Location"]).content.decode()
    assert 'role="status"' in shown and "No violation (ana," in shown
    queue = client.get("/en/console/").content.decode()
    assert given.reference not in queue and other.reference in queue
    client.post(f"/en/console/reports/{given.reference}/outcome/", {"outcome": "duplicate"})
    events = list(AuditEvent.objects.filter(action="report:outcome").order_by("seq"))
    assert [(e.actor, e.target_id, e.before, e.after) for e in events] == [
        ("ana", str(given.pk), {"outcome": None}, {"outcome": "no-violation"}),
        ("ana", str(given.pk), {"outcome": "no-violation"}, {"outcome": "duplicate"}),
    ]
    assert ReportOutcome.objects.get(report=given).outcome == "duplicate"
    assert verify().ok


def test_an_unknown_outcome_is_refused_and_changes_nothing(client: Client) -> None:
    given = report()
    staff(client, "ana")
    refused = client.post(f"/fr/console/reports/{given.reference}/outcome/", {"outcome": "deleted"})
    assert refused.status_code == 400 and "Choisissez l\u2019une des suites possibles." in refused.content.decode()
    assert not ReportOutcome.objects.exists() and not AuditEvent.objects.filter(action="report:outcome").exists()
    assert client.get(f"/en/console/reports/{given.reference}/outcome/").status_code == 405


def test_the_outcome_form_needs_its_csrf_token() -> None:
    given = report()
    checked = Client(enforce_csrf_checks=True)
    staff(checked, "ana")
    token = str(checked.get(f"/en/console/reports/{given.reference}/").context["csrf_token"])
    address = f"/en/console/reports/{given.reference}/outcome/"
    assert checked.post(address, {"outcome": "actioned"}).status_code == 403
    assert checked.post(address, {"outcome": "actioned", "csrfmiddlewaretoken": "x" * 64}).status_code == 403
    assert not ReportOutcome.objects.exists()
    assert checked.post(address, {"outcome": "actioned", "csrfmiddlewaretoken": token}).status_code == 302
    assert ReportOutcome.objects.get(report=given).outcome == "actioned"
