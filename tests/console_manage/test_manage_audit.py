"""The audit log in the console: supervisors browse it (filters, pages, one event's JSON) and
verify the chain, which reports a row tampered with through raw SQL; analysts cannot open it."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from manage_support import HOSTILE, last_seq, text

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor, anchor_now, record
from support.console_login import staff

pytestmark = pytest.mark.django_db


def _events() -> None:
    for number in range(3):
        record(AuditAction.LISTS_EDIT, actor=Actor.user("root"), target_type="list", target_id=f"list-{number}",
               before={"category": None}, after={"category": "csam", "note": HOSTILE})
    record(AuditAction.PROVIDER_CREATE, actor=Actor.user("kim"), target_type="provider", target_id="kestrel")


def test_an_analyst_cannot_open_the_audit_log(client: Client) -> None:
    staff(client, "ana")
    assert client.get("/en/console/audit/").status_code == 403
    assert client.post("/en/console/audit/verify/").status_code == 403
    assert client.get("/en/console/audit/1/").status_code == 403


def test_filters_and_pages(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    _events()
    staff(client, "sam", "supervisor")
    page = text(client, "/en/console/audit/")
    assert page.index('"code">provider:create<') < page.index('"code">lists:edit<')  # newest first
    only = text(client, "/en/console/audit/?action=lists%3Aedit")
    assert only.count("<td class=\"code\">lists:edit</td>") == 3 and "provider:create</td>" not in only
    assert text(client, "/en/console/audit/?actor=kim").count("provider:create</td>") == 1
    by_target = text(client, "/en/console/audit/?target_type=list&target_id=list-1")
    assert "list-1" in by_target and "list-2" not in by_target
    today = timezone.now().date()
    assert "list-0" in text(client, f"/en/console/audit/?since={today}&until={today}")
    assert 'id="events-empty"' in text(client, f"/en/console/audit/?until={today - timedelta(days=1)}")
    assert 'role="alert"' in text(client, "/en/console/audit/?action=no-such-action")
    from sentinelle.console import audit_views

    monkeypatch.setattr(audit_views, "PER_PAGE", 2)
    first = text(client, "/en/console/audit/?action=lists%3Aedit")
    assert "list-2" in first and "list-1" in first and "list-0" not in first
    older = first.split('rel="next"')[0].rsplit('href="?', 1)[1].split('"')[0].replace("&amp;", "&")
    second = text(client, f"/en/console/audit/?{older}")
    assert "list-0" in second and "list-1" not in second and "Newest events" in second


def test_an_event_page_shows_escaped_json(client: Client) -> None:
    _events()
    staff(client, "sam", "supervisor")
    event = AuditEvent.objects.filter(action=AuditAction.LISTS_EDIT).first()
    page = text(client, f"/en/console/audit/{event.seq}/")
    assert '<pre id="after">{\n  &quot;category&quot;: &quot;csam&quot;' in page
    assert "<script>" not in page and "&lt;script&gt;" in page and event.hash in page
    assert client.get("/en/console/audit/999999/").status_code == 404
    assert "Journal d\u2019audit" in text(client, f"/fr/console/audit/{event.seq}/")


def test_verifying_reports_an_intact_chain_and_the_anchor(client: Client, manage_settings: Path) -> None:
    _events()
    staff(client, "sam", "supervisor")
    anchor_now()
    page = client.post("/en/console/audit/verify/").content.decode()
    assert 'id="verification" class="confirmation" role="status"' in page
    assert f"{last_seq()} events" in page and "1 anchors matched" in page
    assert str(manage_settings) in page


def test_verifying_reports_a_tampered_row(client: Client) -> None:
    _events()
    staff(client, "sam", "supervisor")
    target = AuditEvent.objects.get(action=AuditAction.PROVIDER_CREATE).seq
    with connection.cursor() as cursor:  # what an attacker with database rights would do
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent")
        cursor.execute("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = %s", [target])
    answer = client.post("/en/console/audit/verify/")
    page = answer.content.decode()
    assert answer.status_code == 200 and 'role="alert"' in page
    assert f'<strong id="first-problem">event {target} was changed after it was written</strong>' in page


def test_verifying_needs_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    staff(client, "sam", "supervisor")
    assert client.post("/en/console/audit/verify/").status_code == 403
    token = str(client.get("/en/console/audit/").context["csrf_token"])
    assert 'id="verification"' in client.post("/en/console/audit/verify/",
                                              {"csrfmiddlewaretoken": token}).content.decode()


def test_the_filtered_events_download_as_json_lines_and_csv(client: Client) -> None:
    _events()
    record(AuditAction.LISTS_EDIT, actor=Actor.user("=cmd|' /C calc'!A0"), target_type="list", target_id="x")
    staff(client, "sam", "supervisor")
    assert "/en/console/audit/export.csv?action=lists%3Aedit" in text(client, "/en/console/audit/?action=lists%3Aedit")
    answer = client.get("/en/console/audit/export.jsonl?action=lists%3Aedit")
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    rows = [json.loads(line) for line in b"".join(answer.streaming_content).decode().splitlines()]
    assert [r["target_id"] for r in rows] == ["list-0", "list-1", "list-2", "x"]
    assert rows[0]["after"] == {"category": "csam", "note": HOSTILE} and rows[0]["hash"]
    table = b"".join(client.get("/en/console/audit/export.csv?actor=kim").streaming_content).decode()
    lines = list(csv.reader(io.StringIO(table)))
    assert lines[0][:5] == ["seq", "created", "actor_kind", "actor", "action"] and len(lines) == 2
    assert lines[1][4] == "provider:create"
    formula = b"".join(client.get("/en/console/audit/export.csv?target_id=x").streaming_content).decode()
    assert "'=cmd" in formula
    assert client.get("/en/console/audit/export.xml").status_code == 404
    ana = Client()
    staff(ana, "ana")
    assert ana.get("/en/console/audit/export.jsonl").status_code == 403
