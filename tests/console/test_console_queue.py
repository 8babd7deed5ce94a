"""The queue of open reports through HTTP: who may see it, and its order (a child possibly in
danger first, then the oldest first), one page at a time."""

from __future__ import annotations

import re

import pytest
from console_support import PASSWORD, report, staff
from django.test import Client

from sentinelle.accounts.models import Profile
from sentinelle.accounts.services import create_user
from sentinelle.audit.services import Actor
from sentinelle.console.models import ReportOutcome
from sentinelle.tipline.models import Report

pytestmark = pytest.mark.django_db
LISTED = re.compile(r'href="/en/console/reports/(TL-[0-9A-Z-]+)/"')


def test_the_queue_shows_danger_first_then_the_oldest_first(client: Client) -> None:
    calm_old = report(hours=0)
    danger_new = report(danger=True, hours=5)
    danger_old = report(danger=True, hours=2)
    calm_new = report(hours=8)
    staff(client, "ana")
    page = client.get("/en/console/")
    assert page.status_code == 200
    assert LISTED.findall(page.content.decode()) == [
        danger_old.reference, danger_new.reference, calm_old.reference, calm_new.reference,
    ]
    assert page["Cache-Control"] == "no-store" and page["X-Robots-Tag"] == "noindex, nofollow"
    assert b"4 open reports" in page.content and b"<strong>yes</strong>" in page.content
    french = client.get("/fr/console/").content.decode()
    assert "Signalements à trier" in french and "4 signalements ouverts" in french


def test_the_queue_is_paginated(client: Client) -> None:
    made = [report(f"https://files.example.net/{number}", hours=number) for number in range(27)]
    staff(client, "ana")
    first = client.get("/en/console/").content.decode()
    second = client.get("/en/console/?page=2").content.decode()
    assert LISTED.findall(first) == [one.reference for one in made[:25]]
    assert LISTED.findall(second) == [one.reference for one in made[25:]]
    assert 'rel="next"' in first and 'rel="prev"' in second and "Page 2 of 2" in second
    assert LISTED.findall(client.get("/en/console/?page=junk").content.decode()) == LISTED.findall(first)


def test_an_empty_queue_says_so(client: Client) -> None:
    staff(client, "ana")
    assert b'id="queue-empty"' in client.get("/en/console/").content


def test_a_visitor_is_sent_to_the_login_page(client: Client) -> None:
    given = report()
    for address in ("/en/console/", f"/en/console/reports/{given.reference}/"):
        answer = client.get(address)
        assert answer.status_code == 302
        assert answer["Location"].startswith("/en/accounts/login/?next=") and given.reference not in answer.content.decode()
    refused = client.post(f"/en/console/reports/{given.reference}/outcome/", {"outcome": "actioned"})
    assert refused.status_code == 302 and not _decided(given)


def test_a_password_alone_opens_nothing(client: Client) -> None:
    create_user("bea", PASSWORD, "analyst", actor=Actor.user("cli:test"))
    client.post("/en/accounts/login/", {"username": "bea", "password": PASSWORD})
    answer = client.get("/en/console/")
    assert answer.status_code == 302 and answer["Location"].startswith("/en/accounts/login/")


def test_a_user_without_the_permission_gets_403(client: Client) -> None:
    given = report()
    user = staff(client, "nobody")
    Profile.objects.filter(user=user).delete()  # no role: no permission at all
    assert client.get("/en/console/").status_code == 403
    page = client.get(f"/en/console/reports/{given.reference}/")
    assert page.status_code == 403 and b"A gallery" not in page.content
    posted = client.post(f"/en/console/reports/{given.reference}/outcome/", {"outcome": "actioned"})
    assert posted.status_code == 403 and not _decided(given)


def _decided(given: Report) -> bool:
    return ReportOutcome.objects.filter(report=given).exists()
