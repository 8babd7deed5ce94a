"""Administrators' pages, roles and permissions, and the audited changes of the service."""

from __future__ import annotations

import pytest
from accounts_support import ADMIN, PASSWORD, actions, code_for, enrol, login, make_user
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentinelle.accounts.access import user_permissions
from sentinelle.accounts.exceptions import InvalidAccount, LastAdministrator, UserExists
from sentinelle.accounts.permissions import ROLE_PERMISSIONS, Permission, Role
from sentinelle.accounts.services import create_admin, reset_password, set_active, set_role
from sentinelle.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_role_table() -> None:
    assert ROLE_PERMISSIONS[Role.ADMINISTRATOR] == frozenset(Permission)
    assert Permission.ACCOUNT_MANAGE not in ROLE_PERMISSIONS[Role.SUPERVISOR]
    assert Permission.REVIEW_SETTLE not in ROLE_PERMISSIONS[Role.ANALYST]
    assert Permission.PARTNER_MANAGE not in ROLE_PERMISSIONS[Role.SUPERVISOR]
    assert ROLE_PERMISSIONS[Role.ANALYST] < ROLE_PERMISSIONS[Role.SUPERVISOR]


def test_an_administrator_creates_an_analyst_through_the_page(client: Client) -> None:
    make_user("root", "administrator")
    enrol(client, "root")
    page = client.get("/en/accounts/users/")
    assert page.status_code == 200 and b"root" in page.content
    made = client.post("/en/accounts/users/", {"username": "kim", "role": "analyst", "password": PASSWORD})
    assert made.status_code == 302
    kim = User.objects.get(username="kim")
    assert sorted(user_permissions(kim)) == sorted(ROLE_PERMISSIONS[Role.ANALYST])
    event = AuditEvent.objects.get(action="account:create", target_id="kim")
    assert event.actor == "root" and event.after == {"role": "analyst", "active": True}
    again = client.post("/en/accounts/users/", {"username": "KIM", "role": "analyst", "password": PASSWORD})
    assert again.status_code == 400 and b"exists already" in again.content
    weak = client.post("/fr/accounts/users/", {"username": "lea", "role": "analyst", "password": "short"})
    assert weak.status_code == 400 and not User.objects.filter(username="lea").exists()


def test_an_analyst_may_not_manage_accounts(client: Client) -> None:
    make_user("max")
    enrol(client, "max")
    assert client.get("/en/accounts/users/").status_code == 403
    assert client.post("/en/accounts/users/", {"username": "x1", "role": "administrator",
                                               "password": PASSWORD}).status_code == 403
    assert not User.objects.filter(username="x1").exists()
    set_role("max", "administrator", actor=ADMIN)
    assert client.get("/en/accounts/users/").status_code == 200
    assert actions("max")[-1] == "account:role"


def test_a_password_reset_removes_the_second_factor(client: Client) -> None:
    make_user("ned")
    enrol(client, "ned")
    reset_password("ned", "another long passphrase", actor=ADMIN)
    assert not TOTPDevice.objects.filter(user__username="ned").exists()
    assert not StaticDevice.objects.filter(user__username="ned").exists()
    codes = enrol(Client(), "ned", "another long passphrase")
    assert len(codes) == 10
    event = AuditEvent.objects.get(action="account:password-reset", target_id="ned")
    assert event.details == {"otp_devices_removed": 2} and "another" not in str(event.details)


def test_bad_changes_are_refused_and_change_nothing() -> None:
    make_user("ola")
    with pytest.raises(UserExists):
        make_user("OLA")
    with pytest.raises(InvalidAccount):
        make_user("pat", role="superuser")
    with pytest.raises(InvalidAccount):
        make_user("bad name")
    with pytest.raises(InvalidAccount):
        make_user("pat", password="12345678901234")
    assert not User.objects.filter(username="pat").exists()
    create_admin("boss", PASSWORD, actor=ADMIN)
    with pytest.raises(LastAdministrator):
        set_active("boss", False, actor=ADMIN)
    with pytest.raises(LastAdministrator):
        set_role("boss", "analyst", actor=ADMIN)
    assert User.objects.get(username="boss").is_active
    assert AuditEvent.objects.filter(action="account:create").count() == 2


def test_the_second_login_step_needs_the_right_user(client: Client) -> None:
    make_user("quin")
    make_user("rex")
    enrol(client, "quin")
    enrol(Client(), "rex")
    client.post("/en/accounts/logout/")
    rex = TOTPDevice.objects.get(user__username="rex")
    assert login(client, "quin", code_for(rex, 1)) == 400  # rex's code does not open quin's account
