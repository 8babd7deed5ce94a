"""Helpers of the account tests: accounts made through the service, codes computed from a
device's key with django-otp's own TOTP, logins through HTTP."""

from __future__ import annotations

import re
import time

from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentinelle.accounts.services import create_user
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor

PASSWORD = "correct horse battery 42"
ADMIN = Actor.user("cli:test")


def make_user(username: str, role: str = "analyst", password: str = PASSWORD) -> User:
    return create_user(username, password, role, actor=ADMIN)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app would show ``steps_ahead`` periods from now (each code works once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(client: Client, username: str, password: str = PASSWORD, language: str = "en") -> list[str]:
    """Log in with the password, confirm the TOTP device; the recovery codes shown."""
    answer = client.post(f"/{language}/accounts/login/", {"username": username, "password": password})
    assert answer.status_code == 302 and answer["Location"] == f"/{language}/accounts/enrol/", answer
    page = client.get(f"/{language}/accounts/enrol/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    shown = client.post(f"/{language}/accounts/enrol/", {"code": code_for(device)})
    assert shown.status_code == 200, shown.content
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", shown.content.decode())


def login(client: Client, username: str, code: str, password: str = PASSWORD) -> int:
    """Both steps; the status of the code step's answer (302 when logged in)."""
    first = client.post("/en/accounts/login/", {"username": username, "password": password})
    assert first.status_code == 302 and "/accounts/login/code/" in first["Location"], first
    return client.post("/en/accounts/login/code/", {"code": code}).status_code


def actions(target: str) -> list[str]:
    return list(AuditEvent.objects.filter(target_id=target).order_by("seq").values_list("action", flat=True))
