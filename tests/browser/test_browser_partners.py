"""The console's partners page in Chromium against the real ``sentinelle serve``: an
administrator (made with ``sentinelle users create``) creates a partner, issues a token (shown
once), the token works against the API, and revoking it locks it out; axe finds nothing
serious on the page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import requests
from accounts_fixtures import axe_problems, totp_code
from browser_support import shows

from support.cli import run_cli

PASSWORD = "administrator passphrase 2026"


def _administrator(page: Any, site: Any, folder: Path) -> None:
    secret_file = folder / "pw"
    secret_file.write_text(PASSWORD + "\n")
    made = run_cli("users", "create", "ada", "--role", "administrator", "--password-file", secret_file,
                   env=site.env)
    assert made.returncode == 0, made.stderr
    page.goto(f"{site.url}en/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Continue").click()
    secret = page.locator("#otp-secret").inner_text()
    page.fill("#id_code", totp_code(secret))
    page.get_by_role("button", name="Confirm").click()


def test_an_administrator_issues_a_token_once_and_revokes_it(site: Any, page: Any, tmp_path: Path) -> None:
    _administrator(page, site, tmp_path)
    page.goto(f"{site.url}en/console/")
    page.get_by_role("link", name="Partners").click()
    assert shows(page.locator("#partners-empty"), 1)
    assert axe_problems(page) == []
    page.fill("#id_name", "platform-browser")
    page.fill("#id_contact", "trust@platform.example")
    page.get_by_role("button", name="Create the partner").click()
    assert "The partner was created." in page.locator("[role=status]").inner_text()

    page.get_by_role("checkbox", name="reports:write").check()
    page.get_by_role("button", name="Issue a token").click()
    token = page.locator("#id_token").input_value()
    assert re.fullmatch(r"snt_[A-Za-z0-9_-]{43}", token)
    assert axe_problems(page) == []
    api = f"{site.url}api/v1/reports"
    body = {"urls": ["http://files.example.net/from-browser-test.jpg"]}
    sent = requests.post(api, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert sent.status_code == 200 and sent.json()["accepted"] == 1

    page.goto(f"{site.url}en/console/partners/")
    assert token not in page.content()  # shown once
    page.get_by_role("button", name=re.compile("^Revoke")).click()
    assert "The token was revoked." in page.locator("[role=status]").inner_text()
    refused = requests.post(api, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert refused.status_code == 401
