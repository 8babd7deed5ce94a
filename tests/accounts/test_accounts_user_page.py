"""One account's page for administrators: role, password reset, deactivation, reactivation
through HTTP (POST, CSRF, audited services), refusals shown translated, analysts refused."""

from __future__ import annotations

import pytest
from accounts_support import PASSWORD, actions, code_for, enrol, login, make_user
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentinelle.accounts.services import role_of
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.verify import verify

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 7"


def administrator(client: Client, name: str = "root") -> None:
    make_user(name, "administrator")
    enrol(client, name)


def test_an_administrator_resets_an_analysts_password(client: Client) -> None:
    administrator(client)
    make_user("ana")
    analyst = Client()
    enrol(analyst, "ana")
    page = client.get("/en/accounts/users/ana/")
    assert page.status_code == 200 and b'id="user-role">Analyst<' in page.content
    assert b'href="/en/accounts/users/ana/"' in client.get("/en/accounts/users/").content
    done = client.post("/en/accounts/users/ana/password/", {"password": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/en/accounts/users/ana/?done=password"
    shown = client.get(done["Location"])
    assert b"The password was reset" in shown.content and b'role="status"' in shown.content
    assert not TOTPDevice.objects.filter(user__username="ana").exists()
    event = AuditEvent.objects.get(action="account:password-reset", target_id="ana")
    assert event.actor == "root" and NEW_PASSWORD not in str(event.details)
    fresh = Client()  # the old password is gone; the new one leads to enrolment again
    assert fresh.post("/en/accounts/login/", {"username": "ana", "password": PASSWORD}).status_code == 400
    assert len(enrol(fresh, "ana", NEW_PASSWORD)) == 10


def test_a_weak_password_is_refused_in_the_pages_language(client: Client) -> None:
    administrator(client)
    make_user("bob")
    before = User.objects.get(username="bob").password
    refused = client.post("/fr/accounts/users/bob/password/", {"password": "password"})
    text = refused.content.decode()
    assert refused.status_code == 400 and 'role="alert"' in text
    assert "Le mot de passe a été refusé" in text and "password refused" not in text
    assert "trop courant" in text  # Django's own validator message, in French
    assert User.objects.get(username="bob").password == before
    assert actions("bob") == ["account:create"]
    made = client.post("/fr/accounts/users/", {"username": "lea", "role": "analyst", "password": "short"})
    assert made.status_code == 400 and "password refused" not in made.content.decode()
    assert "Le compte n\u2019a pas été créé : Le mot de passe a été refusé" in made.content.decode()
    named = client.post("/fr/accounts/users/", {"username": "bad name", "role": "analyst", "password": PASSWORD})
    assert named.status_code == 400 and "Un nom d\u2019utilisateur compte de 1 à 150" in named.content.decode()


def test_an_administrator_deactivates_then_reactivates_an_analyst(client: Client) -> None:
    administrator(client)
    make_user("cleo")
    analyst = Client()
    enrol(analyst, "cleo")
    assert analyst.get("/en/accounts/").status_code == 200
    done = client.post("/fr/accounts/users/cleo/deactivate/")
    assert done.status_code == 302 and done["Location"] == "/fr/accounts/users/cleo/?done=deactivated"
    assert "Le compte a été désactivé" in client.get(done["Location"]).content.decode()
    assert not User.objects.get(username="cleo").is_active
    assert analyst.get("/en/accounts/")["Location"].startswith("/en/accounts/login/")  # session gone
    refused = Client().post("/en/accounts/login/", {"username": "cleo", "password": PASSWORD})
    assert refused.status_code == 400
    again = client.post("/en/accounts/users/cleo/reactivate/")
    assert again.status_code == 302 and again["Location"].endswith("?done=reactivated")
    assert User.objects.get(username="cleo").is_active
    device = TOTPDevice.objects.get(user__username="cleo", confirmed=True)  # the factor is kept
    assert login(Client(), "cleo", code_for(device, 1)) == 302
    assert actions("cleo")[-4:] == ["account:deactivate", "account:login-failed", "account:reactivate",
                                    "account:login"]
    event = AuditEvent.objects.get(action="account:deactivate", target_id="cleo")
    assert event.actor == "root" and event.before == {"active": True} and event.after == {"active": False}
    assert verify().ok


def test_an_administrator_changes_a_role(client: Client) -> None:
    administrator(client)
    make_user("dan")
    done = client.post("/en/accounts/users/dan/role/", {"role": "supervisor"})
    assert done.status_code == 302 and done["Location"].endswith("?done=role")
    assert str(role_of(User.objects.get(username="dan"))) == "supervisor"
    event = AuditEvent.objects.get(action="account:role", target_id="dan")
    assert event.actor == "root" and event.before == {"role": "analyst"} and event.after == {"role": "supervisor"}
    bad = client.post("/en/accounts/users/dan/role/", {"role": "superuser"})
    assert bad.status_code == 400 and b"Choose one of the roles" in bad.content
    assert str(role_of(User.objects.get(username="dan"))) == "supervisor"
    assert client.get("/en/accounts/users/dan/role/").status_code == 405  # POST only
    assert client.get("/en/accounts/users/nobody/").status_code == 404
    assert client.post("/en/accounts/users/nobody/deactivate/").status_code == 404


def test_the_last_administrator_is_protected_with_a_translated_error(client: Client) -> None:
    administrator(client)
    for url, data in (("/fr/accounts/users/root/deactivate/", {}),
                      ("/fr/accounts/users/root/role/", {"role": "analyst"})):
        refused = client.post(url, data)
        text = refused.content.decode()
        assert refused.status_code == 400 and "C\u2019est le dernier administrateur actif" in text, url
        assert "last active administrator" not in text
    root = User.objects.get(username="root")
    assert root.is_active and str(role_of(root)) == "administrator"
    assert actions("root") == ["account:create", "account:otp-enrol"]


@pytest.mark.parametrize(("url", "data"), [
    ("/en/accounts/users/eve/role/", {"role": "administrator"}),
    ("/en/accounts/users/eve/password/", {"password": NEW_PASSWORD}),
    ("/en/accounts/users/eve/deactivate/", {}),
    ("/en/accounts/users/root/deactivate/", {}),
])
def test_an_analyst_gets_403_and_changes_nothing(client: Client, url: str, data: dict[str, str]) -> None:
    make_user("root", "administrator")
    make_user("eve")
    enrol(client, "eve")
    passwords = dict(User.objects.values_list("username", "password"))
    assert client.get("/en/accounts/users/eve/").status_code == 403
    assert client.post(url, data).status_code == 403
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert all(User.objects.values_list("is_active", flat=True))
    assert str(role_of(User.objects.get(username="eve"))) == "analyst"
    assert TOTPDevice.objects.filter(user__username="eve").exists()
    assert not AuditEvent.objects.filter(action__in=["account:role", "account:password-reset",
                                                     "account:deactivate"]).exists()


def test_a_forged_csrf_token_is_refused(client: Client) -> None:
    make_user("root", "administrator")
    make_user("fay")
    checked = Client(enforce_csrf_checks=True)
    enrol_with_csrf(checked, "root")
    page = checked.get("/en/accounts/users/fay/")
    token = page.context["csrf_token"]
    forged = checked.post("/en/accounts/users/fay/deactivate/", {"csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403 and User.objects.get(username="fay").is_active
    missing = checked.post("/en/accounts/users/fay/password/", {"password": NEW_PASSWORD})
    assert missing.status_code == 403 and actions("fay") == ["account:create"]
    real = checked.post("/en/accounts/users/fay/deactivate/", {"csrfmiddlewaretoken": str(token)})
    assert real.status_code == 302 and not User.objects.get(username="fay").is_active


def enrol_with_csrf(client: Client, username: str) -> None:
    """``enrol`` for a client that checks CSRF: each form's token read from the page first."""
    token = client.get("/en/accounts/login/").context["csrf_token"]
    client.post("/en/accounts/login/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": str(token)})
    token = client.get("/en/accounts/enrol/").context["csrf_token"]
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    shown = client.post("/en/accounts/enrol/", {"code": code_for(device), "csrfmiddlewaretoken": str(token)})
    assert shown.status_code == 200, shown.content
