"""Lockout after repeated failures: per account and per client, audited, and what lifts it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from accounts_support import ADMIN, PASSWORD, code_for, enrol, login, make_user
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentinelle.accounts.models import LoginThrottle
from sentinelle.accounts.services import reset_password
from sentinelle.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
WRONG = {"password": "not the password at all"}


def post(client: Client, username: str, password: str) -> int:
    return client.post("/en/accounts/login/", {"username": username, "password": password}).status_code


def test_an_account_locks_after_n_failures_even_for_the_right_password(client: Client) -> None:
    make_user("fay")
    assert [post(client, "fay", WRONG["password"]) for _ in range(3)] == [400, 400, 400]
    locked = client.post("/en/accounts/login/", {"username": "fay", "password": PASSWORD})
    assert locked.status_code == 400 and b"locked" in locked.content
    lockouts = AuditEvent.objects.filter(action="account:lockout", target_id="fay")
    assert lockouts.count() == 1 and lockouts[0].details["reason"] == "account"
    assert AuditEvent.objects.filter(action="account:login-failed", target_id="fay").count() == 4
    # Another client is refused too: the lock is on the account.
    assert post(Client(REMOTE_ADDR="192.0.2.7"), "fay", PASSWORD) == 400


def test_the_lock_ends_after_its_period_and_a_reset_clears_it(client: Client) -> None:
    make_user("gus")
    for _ in range(3):
        post(client, "gus", WRONG["password"])
    row = LoginThrottle.objects.get(key__startswith="user:")
    assert row.locked_until is not None
    LoginThrottle.objects.filter(pk=row.pk).update(locked_until=row.locked_until - timedelta(minutes=16))
    assert post(client, "gus", PASSWORD) == 302
    for _ in range(3):
        post(Client(), "gus", WRONG["password"])
    assert post(Client(), "gus", PASSWORD) == 400
    reset_password("gus", "a brand new passphrase 7", actor=ADMIN)
    assert post(Client(), "gus", "a brand new passphrase 7") == 302


def test_wrong_codes_count_too(client: Client) -> None:
    make_user("hal")
    enrol(client, "hal")
    client.post("/en/accounts/logout/")
    client.post("/en/accounts/login/", {"username": "hal", "password": PASSWORD})
    answers = [client.post("/en/accounts/login/code/", {"code": "123456"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [400, 400, 400] and b"locked" in answers[-1].content
    device = TOTPDevice.objects.get(user__username="hal")
    assert post(client, "hal", PASSWORD) == 400  # the right password no longer opens the code step
    assert AuditEvent.objects.filter(action="account:lockout", target_id="hal").exists()
    assert code_for(device)  # the device is untouched: only the lock stops the login


def test_one_client_trying_many_accounts_is_locked(client: Client) -> None:
    for i in range(8):
        assert post(client, f"guess{i}", "whatever password") == 400
    make_user("ivy")
    assert post(client, "ivy", PASSWORD) == 400  # the client is locked, whichever account
    assert post(Client(REMOTE_ADDR="198.51.100.9"), "ivy", PASSWORD) == 302
    client_locks = AuditEvent.objects.filter(action="account:lockout", details__reason="client")
    assert client_locks.count() == 1
    assert all("127.0.0.1" not in key for key in LoginThrottle.objects.values_list("key", flat=True))


def test_a_deactivated_user_cannot_log_in_and_loses_the_session(client: Client) -> None:
    from sentinelle.accounts.services import set_active

    make_user("jon")
    enrol(client, "jon")
    assert client.get("/en/accounts/").status_code == 200
    set_active("jon", False, actor=ADMIN)
    assert client.get("/en/accounts/").status_code == 302
    assert post(Client(), "jon", PASSWORD) == 400
    set_active("jon", True, actor=ADMIN)
    other = Client()
    device = TOTPDevice.objects.get(user__username="jon")
    assert login(other, "jon", code_for(device, 1)) == 302
