"""Logging in through HTTP: password then TOTP, enrolment, recovery codes, logout."""

from __future__ import annotations

import pytest
from accounts_support import PASSWORD, actions, code_for, enrol, login, make_user
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.verify import verify

pytestmark = pytest.mark.django_db


def test_a_new_user_enrols_then_logs_in_with_password_and_code(client: Client) -> None:
    make_user("ana")
    assert client.get("/en/accounts/").status_code == 302  # not logged in
    codes = enrol(client, "ana")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/en/accounts/").status_code == 200  # verified by enrolment
    client.post("/en/accounts/logout/")
    assert client.get("/en/accounts/")["Location"].startswith("/en/accounts/login/")
    device = TOTPDevice.objects.get(user__username="ana", confirmed=True)
    assert login(client, "ana", code_for(device, 1)) == 302
    home = client.get("/en/accounts/")
    assert home.status_code == 200 and "report:view" in home.content.decode()
    assert '<dd id="account-username">ana</dd>' in home.content.decode() and b"Log out" in home.content
    assert "account:manage" not in home.content.decode()
    assert actions("ana") == ["account:create", "account:otp-enrol", "account:logout", "account:login"]
    assert verify().ok


def test_a_password_alone_opens_nothing_but_the_code_step(client: Client) -> None:
    make_user("ben")
    enrol(client, "ben")
    client.post("/en/accounts/logout/")
    client.post("/en/accounts/login/", {"username": "ben", "password": PASSWORD})
    assert client.get("/en/accounts/")["Location"].startswith("/en/accounts/login/")
    assert client.get("/en/accounts/enrol/").status_code == 302  # cannot replace the factor either
    wrong = client.post("/en/accounts/login/code/", {"code": "000000"})
    assert wrong.status_code == 400 and b"is not right" in wrong.content


def test_a_recovery_code_works_once(client: Client) -> None:
    make_user("cleo")
    codes = enrol(client, "cleo")
    client.post("/en/accounts/logout/")
    assert login(client, "cleo", codes[0]) == 302
    client.post("/en/accounts/logout/")
    assert login(client, "cleo", codes[0]) == 400
    assert login(client, "cleo", codes[1].upper()) == 302
    event = AuditEvent.objects.filter(action="account:login", target_id="cleo").order_by("seq").last()
    assert event is not None and event.details == {"factor": "recovery-code", "recovery_codes_left": 8}


def test_a_wrong_password_is_refused_without_saying_what_was_wrong(client: Client) -> None:
    make_user("dan")
    for name, password in (("dan", "not the password"), ("nobody", PASSWORD)):
        answer = client.post("/en/accounts/login/", {"username": name, "password": password})
        assert answer.status_code == 400 and b"user name, password or code is not right" in answer.content
    failed = AuditEvent.objects.filter(action="account:login-failed").order_by("seq")
    assert [e.target_id for e in failed] == ["dan", ""]  # an unknown name is not written down
    assert all(e.details["client"].startswith("client:") and "127.0.0.1" not in str(e.details) for e in failed)


def test_the_pages_are_bilingual_private_and_refuse_a_forged_form() -> None:
    client = Client(enforce_csrf_checks=True)
    english, french = client.get("/en/accounts/login/"), client.get("/fr/accounts/login/")
    assert b"Log in" in english.content and b'lang="en"' in english.content
    assert "Se connecter" in french.content.decode() and b'lang="fr"' in french.content
    assert b'href="/fr/accounts/login/"' in english.content
    assert english["Cache-Control"] == "no-store" and "default-src 'none'" in english["Content-Security-Policy"]
    assert client.post("/en/accounts/login/", {"username": "x", "password": "y"}).status_code == 403


def test_the_session_cookie_is_http_only_and_lax(client: Client) -> None:
    make_user("eve")
    enrol(client, "eve")
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
