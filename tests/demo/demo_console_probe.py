"""Run as a script against a copy of a demo's folder: log in to the console as a supervisor
(through HTTP, with a TOTP code computed from the device's key) and fetch its pages.

Usage: ``python demo_console_probe.py PATH...``; the environment names the demo's folder
(``SENTINELLE_DATA_DIR``). Prints one JSON object: for each path, its status and its text.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentinelle.settings")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django_otp.oath import TOTP  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from sentinelle.accounts.services import create_user  # noqa: E402
from sentinelle.audit.services import Actor  # noqa: E402

PASSWORD = "probe horse battery 42"


def logged_in(username: str, role: str) -> Client:
    client = Client()
    user = create_user(username, PASSWORD, role, actor=Actor.user("cli:probe"))
    token = str(client.get("/en/accounts/login/").context["csrf_token"])
    answer = client.post("/en/accounts/login/", {"username": username, "password": PASSWORD,
                                                  "csrfmiddlewaretoken": token})
    assert answer.status_code == 302, answer
    token = str(client.get("/en/accounts/enrol/").context["csrf_token"])
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    code = f"{totp.token():0{device.digits}d}"
    assert client.post("/en/accounts/enrol/", {"code": code, "csrfmiddlewaretoken": token}).status_code == 200
    return client


def main(paths: list[str]) -> None:
    setup_test_environment()
    client = logged_in(f"probe-{uuid.uuid4().hex[:8]}", "supervisor")
    pages = {}
    for path in paths:
        answer = client.get(path)
        pages[path] = {"status": answer.status_code, "text": answer.content.decode("utf-8", "replace")}
    print(json.dumps(pages))


if __name__ == "__main__":
    main(sys.argv[1:])
