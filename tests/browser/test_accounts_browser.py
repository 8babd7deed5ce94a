"""Staff accounts in Chromium against the real ``sentinelle serve``: the first administrator
(made with ``sentinelle createadmin``) enrols TOTP and logs in with a code, creates an analyst
on the accounts page; the analyst enrols by typing the secret shown next to the QR code and
logs in with a code; the administrator then deactivates her on her account's page, which
ends her session. axe-core checks the login, enrolment and account pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accounts_fixtures import axe_problems, totp_code

from support.cli import run_cli

PASSWORD = "correct horse battery 42"


def log_in(page: Any, site: Any, username: str, password: str, language: str = "en") -> None:
    page.goto(f"{site.url}{language}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Continue" if language == "en" else "Continuer").click()


def enrol(page: Any) -> tuple[str, list[str]]:
    """On the enrolment page: read the secret, confirm a code, read the recovery codes."""
    assert page.locator(".qr svg").count() == 1
    secret = page.locator("#otp-secret").inner_text()
    page.fill("#id_code", totp_code(secret))
    page.get_by_role("button", name="Confirm").click()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    return secret, codes


def test_an_administrator_creates_an_analyst_who_enrols_and_logs_in(site: Any, page: Any, tmp_path: Path) -> None:
    secret_file = tmp_path / "pw"
    secret_file.write_text(PASSWORD + "\n")
    made = run_cli("createadmin", "--username", "root", "--password-file", secret_file, env=site.env)
    assert made.returncode == 0, made.stderr

    log_in(page, site, "root", PASSWORD)
    assert page.url.endswith("/en/accounts/enrol/")
    admin_secret, admin_codes = enrol(page)
    assert len(admin_codes) == 10
    page.get_by_role("button", name="Log out").click()
    log_in(page, site, "root", PASSWORD)
    assert "/en/accounts/login/code/" in page.url
    page.fill("#id_code", totp_code(admin_secret, 1))
    page.get_by_role("button", name="Log in").click()
    assert page.locator("#account-role").inner_text() == "Administrator"

    page.get_by_role("link", name="Manage accounts").click()
    page.fill("#id_username", "ana")
    page.select_option("#id_role", "analyst")
    page.fill("#id_password", "analyst passphrase 2026")
    page.get_by_role("button", name="Create the account").click()
    assert "Account ana created" in page.locator("[role=status]").inner_text()
    page.get_by_role("button", name="Log out").click()

    analyst = page.context.browser.new_context().new_page()
    log_in(analyst, site, "ana", "analyst passphrase 2026", language="fr")
    assert analyst.url.endswith("/fr/accounts/enrol/")
    assert analyst.locator("html").get_attribute("lang") == "fr"
    analyst.goto(site.url + "en/accounts/enrol/")
    analyst_secret, _ = enrol(analyst)
    analyst.get_by_role("button", name="Log out").click()
    log_in(analyst, site, "ana", "analyst passphrase 2026")
    analyst.fill("#id_code", totp_code(analyst_secret, 1))
    analyst.get_by_role("button", name="Log in").click()
    assert analyst.locator("#account-username").inner_text() == "ana"
    assert analyst.locator("#account-role").inner_text() == "Analyst"
    assert analyst.get_by_role("link", name="Manage accounts").count() == 0
    assert analyst.goto(site.url + "en/accounts/users/").status == 403

    log_in(page, site, "root", PASSWORD)  # the administrator deactivates ana on her page
    page.fill("#id_code", totp_code(admin_secret, 2))
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Manage accounts").click()
    page.get_by_role("link", name="ana").click()
    page.get_by_role("button", name="Deactivate the account").click()
    assert "deactivated" in page.locator("[role=status]").inner_text()
    assert page.locator("#user-active").inner_text() == "no"
    assert axe_problems(page) == []
    analyst.goto(site.url + "en/accounts/")
    assert "/en/accounts/login/" in analyst.url  # her session ended
    analyst.context.close()


def test_the_login_and_enrolment_pages_pass_axe(site: Any, page: Any, tmp_path: Path) -> None:
    for language in ("en", "fr"):
        page.goto(f"{site.url}{language}/accounts/login/")
        assert axe_problems(page) == [], language
    secret_file = tmp_path / "pw"
    secret_file.write_text(PASSWORD + "\n")
    made = run_cli("createadmin", "--username", "axe", "--password-file", secret_file, "--force", env=site.env)
    assert made.returncode == 0, made.stderr
    log_in(page, site, "axe", PASSWORD)
    assert page.url.endswith("/en/accounts/enrol/")
    assert axe_problems(page) == []
    page.goto(f"{site.url}fr/accounts/enrol/")
    assert axe_problems(page) == []
