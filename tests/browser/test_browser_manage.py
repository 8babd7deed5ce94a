"""The console's management pages in Chromium against the real ``sentinelle serve``: a
supervisor (made with ``sentinelle users create``) uploads a small list file through the import
form, verifies the list through its confirm step, and finds the import in the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accounts_fixtures import axe_problems, totp_code
from browser_support import shows

from support.cli import run_cli

PASSWORD = "supervisor passphrase 2026"
MD5 = "0123456789abcdef0123456789abcdef"


def _supervisor(page: Any, site: Any, folder: Path) -> None:
    secret_file = folder / "pw"
    secret_file.write_text(PASSWORD + "\n")
    made = run_cli("users", "create", "sam", "--role", "supervisor", "--password-file", secret_file, env=site.env)
    assert made.returncode == 0, made.stderr
    page.goto(f"{site.url}en/accounts/login/")
    page.fill("#id_username", "sam")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Continue").click()
    assert page.url.endswith("/en/accounts/enrol/")
    secret = page.locator("#otp-secret").inner_text()
    page.fill("#id_code", totp_code(secret))
    page.get_by_role("button", name="Confirm").click()


def test_a_supervisor_imports_and_verifies_a_list_and_the_audit_log_shows_it(
        site: Any, page: Any, tmp_path: Path) -> None:
    _supervisor(page, site, tmp_path)
    listing = tmp_path / "partner.csv"
    listing.write_text(f"signal_type,hash,category\nmd5,{MD5},csam\nmd5,{'f' * 32},csam\n")

    page.goto(f"{site.url}en/console/")
    page.get_by_role("link", name="Hash lists").click()
    assert shows(page.locator("#lists-empty"), 1)
    assert axe_problems(page) == []
    page.fill("#id_import_name", "partner-upload")
    page.set_input_files("#id_file", str(listing))
    page.get_by_role("button", name="Import the file").click()
    assert "The file was imported." in page.locator("[role=status]").inner_text()
    assert page.locator("#hash-count").inner_text().startswith("2")
    assert page.locator("#verified").inner_text().startswith("no")
    assert shows(page.locator("#changes tbody tr"), 2)

    page.get_by_role("link", name="Verify the list…").click()
    assert "automatic notice" in page.locator("#verify-warning").inner_text()
    page.get_by_role("button", name="Yes, verify the list").click()
    assert "now trigger automatic notices" in page.locator("[role=status]").inner_text()
    assert page.locator("#verified").inner_text().startswith("yes")
    assert axe_problems(page) == []

    page.get_by_role("link", name="Audit log").click()
    page.select_option("#id_action", "lists:import")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#events tbody tr")
    assert shows(rows, 1) and "partner-upload" in rows.first.inner_text()
    rows.first.get_by_role("link").click()
    details = page.locator("#details").inner_text()
    assert '"added": 2' in details and '"file": "partner.csv"' in details
    page.get_by_role("link", name="Back to the audit log").click()
    page.get_by_role("button", name="Verify the chain now").click()
    assert "The chain is intact" in page.locator("#verification").inner_text()
    assert axe_problems(page) == []
