"""A referral in Chromium against the real ``sentinelle serve``: a report sent through the
tipline form, an analyst (made with ``sentinelle users create``) enrols and logs in with a TOTP
code, opens the report in the console, follows "Refer to law enforcement", names the agency,
and gets the printable package; the JSON package downloads with the SHA-256 the page shows,
and the referral is a row in the database. axe-core checks the form and the printable page."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from accounts_fixtures import axe_problems, totp_code
from browser_support import Site

from support.cli import run_cli

PASSWORD = "analyst passphrase 2026"
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned=2">'


def send_report(page: Any, site: Site) -> str:
    page.goto(site.url + "en/")
    page.check("input[name=category][value=csam]")
    page.check("input[name=danger][value=no]")
    page.fill("#urls", "https://files.example.net/gallery")
    page.fill("#what", f"A gallery of pictures {HOSTILE}")
    page.get_by_role("button", name="Send the report").click()
    return str(page.locator("#reference").inner_text())


def log_in_analyst(page: Any, site: Site, tmp_path: Path) -> None:
    secret_file = tmp_path / "pw"
    secret_file.write_text(PASSWORD + "\n")
    made = run_cli("users", "create", "rita", "--role", "analyst", "--password-file", secret_file, env=site.env)
    assert made.returncode == 0, made.stderr
    page.goto(site.url + "en/accounts/login/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Continue").click()
    assert page.url.endswith("/en/accounts/enrol/")
    page.fill("#id_code", totp_code(page.locator("#otp-secret").inner_text()))
    page.get_by_role("button", name="Confirm").click()


def referrals(site: Site) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(Path(site.env["SENTINELLE_DATA_DIR"]) / "sentinelle.sqlite3") as db:
        return db.execute("SELECT reference, agency, created_by, package_sha256 FROM referrals_referral").fetchall()


def test_an_analyst_refers_a_report_and_gets_the_package(site: Site, page: Any, tmp_path: Path) -> None:
    reference = send_report(page, site)
    page.context.clear_cookies()
    log_in_analyst(page, site, tmp_path)
    page.goto(f"{site.url}en/console/reports/{reference}/")
    page.get_by_role("link", name="Refer to law enforcement").click()
    assert page.locator("h1").inner_text() == "Refer to law enforcement"
    assert axe_problems(page) == []
    page.fill("#id_agency", "National Child Exploitation Unit")
    page.fill("#id_note", "Please call the hotline.")
    page.get_by_role("button", name="Make the referral package").click()
    [(made, agency, by, digest)] = referrals(site)
    assert (agency, by) == ("National Child Exploitation Unit", "rita") and made.startswith("RF-")
    assert page.locator("h1").inner_text() == f"Referral {made}"
    assert page.locator("#package-sha256").inner_text() == digest
    assert HOSTILE in page.locator("#what-happened").inner_text()  # shown as text
    assert page.evaluate("window.pwned") is None
    assert axe_problems(page) == []
    page.emulate_media(media="print")
    assert page.locator("header.site").is_hidden() and page.locator("#referral-facts").is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as waited:
        page.get_by_role("link", name="Download the JSON package").click()
    body = Path(waited.value.path()).read_bytes()
    assert hashlib.sha256(body).hexdigest() == digest
    package = json.loads(body)
    assert package["format"] == "sentinelle-referral/1" and package["reference"] == made
    assert package["report"]["reference"] == reference and package["report"]["what_happened"].endswith(HOSTILE)
