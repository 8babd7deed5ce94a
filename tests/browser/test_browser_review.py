"""The review queue in Chromium against the real ``sentinelle serve``: two analysts classify
the same item and its hashes join the verified list; a supervisor settles a disagreement; an
analyst reveals a blurred item and the audit log holds the reveal (a supervisor finds it on the
console's audit log page)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from accounts_fixtures import axe_problems, totp_code
from browser_support import shows

from support.cli import run_cli

HERE = Path(__file__).resolve().parent
PASSWORD = "review passphrase 2026"


@pytest.fixture(scope="module")
def items(site: Any) -> list[str]:
    """Three review items in the served site's database."""
    done = subprocess.run([sys.executable, str(HERE / "review_seed.py"), "3"], env=site.env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return list(json.loads(done.stdout))


@pytest.fixture
def login(chromium: Any, site: Any, tmp_path: Path) -> Iterator[Any]:
    """``login(name, role)``: a tab of its own, logged in with a password and a TOTP code."""
    contexts = []

    def logged_in(name: str, role: str = "analyst") -> Any:
        secret_file = tmp_path / f"{name}.pw"
        secret_file.write_text(PASSWORD + "\n")
        made = run_cli("users", "create", name, "--role", role, "--password-file", secret_file, env=site.env)
        assert made.returncode == 0, made.stderr
        context = chromium.new_context(viewport={"width": 1000, "height": 900})
        contexts.append(context)
        tab = context.new_page()
        tab.goto(f"{site.url}en/accounts/login/")
        tab.fill("#id_username", name)
        tab.fill("#id_password", PASSWORD)
        tab.get_by_role("button", name="Continue").click()
        tab.fill("#id_code", totp_code(tab.locator("#otp-secret").inner_text()))
        tab.get_by_role("button", name="Confirm").click()
        return tab

    yield logged_in
    for context in contexts:
        context.close()


def query(site: Any, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(Path(site.env["SENTINELLE_DATA_DIR"]) / "sentinelle.sqlite3") as connection:
        return list(connection.execute(sql, params).fetchall())


def classify(tab: Any, site: Any, sha256: str, label: str) -> None:
    tab.goto(f"{site.url}en/console/")
    tab.get_by_role("link", name="Review", exact=True).click()
    tab.locator(f'a[href$="/media/{sha256}/"]').click()
    tab.get_by_label(label).check()
    tab.get_by_role("button", name="Record my classification").click()
    assert "Your classification was recorded." in tab.locator("[role=status]").inner_text()
    assert shows(tab.locator(f'a[href$="/media/{sha256}/"]'), 0)  # not shown to this analyst again


def test_two_analysts_agree_and_the_hashes_join_the_verified_list(site: Any, items: list[str], login: Any) -> None:
    ana, bob = login("ana"), login("bob")
    ana.goto(f"{site.url}en/console/review/")
    assert ana.locator("#review-queue tbody tr").count() == 3 and axe_problems(ana) == []
    ana.locator(f'a[href$="/media/{items[0]}/"]').click()
    ana.wait_for_load_state("load")
    assert ana.locator("#blurred").evaluate("image => image.naturalWidth") > 0
    assert axe_problems(ana) == []
    classify(ana, site, items[0], "Child sexual abuse material (csam)")
    assert query(site, "SELECT COUNT(*) FROM banks_knownhash WHERE hash = ?", items[0]) == [(0,)]
    classify(bob, site, items[0], "Child sexual abuse material (csam)")
    rows = query(site, "SELECT l.name, l.verified, h.signal_type FROM banks_knownhash h "
                       "JOIN banks_storedlist l ON l.id = h.list_id WHERE l.name = 'hotline-verified'")
    assert {(name, bool(verified)) for name, verified, _ in rows} == {("hotline-verified", True)}
    assert {kind for _, _, kind in rows} >= {"sha256", "md5", "sha1"}
    assert query(site, "SELECT COUNT(*) FROM audit_auditevent WHERE action = 'review:decide'") == [(1,)]


def test_a_supervisor_settles_a_disagreement(site: Any, items: list[str], login: Any) -> None:
    ana, bob = login("ann"), login("ben")
    classify(ana, site, items[1], "Child sexual abuse material (csam)")
    classify(bob, site, items[1], "Not illegal")
    sue = login("sue", "supervisor")
    sue.goto(f"{site.url}en/console/")
    sue.get_by_role("link", name="Disagreements").click()
    assert axe_problems(sue) == []
    sue.locator(f'a[href$="/media/{items[1]}/"]').click()
    assert shows(sue.locator("#verdicts tbody tr"), 2)
    sue.select_option("#id_settle", "harmful-abusive")
    sue.get_by_role("button", name="Settle", exact=True).click()
    assert "it is final" in sue.locator("[role=status]").inner_text()
    assert "harmful-abusive" in sue.locator("#status").inner_text().lower() or \
        "Harmful" in sue.locator("#status").inner_text()
    assert query(site, "SELECT category, how, decided_by FROM classification_decision d "
                       "JOIN sightings_media m ON m.id = d.media_id WHERE m.sha256 = ?", items[1]) == [
        ("harmful-abusive", "settled", "sue")]


def test_an_analyst_reveals_a_blurred_item_and_the_audit_log_holds_it(
        site: Any, items: list[str], login: Any) -> None:
    cat = login("cat")
    cat.goto(f"{site.url}en/console/review/media/{items[2]}/")
    cat.wait_for_load_state("load")
    assert cat.locator("#blurred").evaluate("image => image.naturalWidth") <= 240
    cat.get_by_role("button", name="Reveal the original (audited)").click()
    cat.wait_for_load_state("load")
    assert cat.locator("#original").evaluate("image => image.naturalWidth") == 480
    assert shows(cat.locator("#blurred"), 0)
    events = query(site, "SELECT action, actor FROM audit_auditevent WHERE target_id = ? ORDER BY seq", items[2])
    assert ("review:reveal", "cat") in events and ("review:view", "cat") in events
    # ... and a supervisor finds the reveal in the console's audit log
    sid = login("sid", "supervisor")
    sid.goto(f"{site.url}en/console/")
    sid.get_by_role("link", name="Audit log").click()
    sid.select_option("#id_action", "review:reveal")
    sid.fill("#id_target_id", items[2])
    sid.get_by_role("button", name="Filter").click()
    rows = sid.locator("#events tbody tr")
    assert shows(rows, 1)
    assert "cat" in rows.first.inner_text() and "review:reveal" in rows.first.inner_text()
