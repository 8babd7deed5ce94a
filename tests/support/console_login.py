"""Staff logged in to the console through HTTP, with a TOTP code computed from the device's
key: the account made through the service, enrolled, both factors given (each form's CSRF
token read from its page, so a client that checks CSRF works too)."""

from __future__ import annotations

import time

from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentinelle.accounts.services import create_user
from sentinelle.audit.services import Actor

PASSWORD = "correct horse battery 42"


def staff(client: Client, username: str, role: str = "analyst") -> User:
    user = create_user(username, PASSWORD, role, actor=Actor.user("cli:test"))
    token = str(client.get("/en/accounts/login/").context["csrf_token"])
    answer = client.post("/en/accounts/login/",
                         {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert answer.status_code == 302 and answer["Location"] == "/en/accounts/enrol/", answer
    token = str(client.get("/en/accounts/enrol/").context["csrf_token"])
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    code = f"{totp.token():0{device.digits}d}"
    assert client.post("/en/accounts/enrol/", {"code": code, "csrfmiddlewaretoken": token}).status_code == 200
    return user
