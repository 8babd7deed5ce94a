"""The data and page list of scripts/console_screenshots.py, without a browser: the seed runs
through the services on the test database, and every page the script photographs answers 200
to the role it is photographed as and shows what its caption in docs/ says."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import Client

from support.console_login import staff

sys.path.append(str(Path(__file__).resolve().parents[2] / "scripts"))
from console_screenshots import SHOTS, Shot, address
from console_seed import SETTINGS, seed

pytestmark = pytest.mark.django_db

#: What each page must show for its screenshot to be worth its caption.
EXPECTED = {
    "reports-queue": ["4 open reports"],
    "report": ["partner-hotline", "Example Hosting", "no-contact", "disputed"],
    "review-queue": ["2 items to review"],
    "review-item": ['id="blurred"', "Reveal the original (audited)"],
    "disagreements": ["1 item to settle"],
    "disagreement-item": ['id="verdicts"', 'id="settle"'],
    "notice": ["waits for an analyst", "event-response-dispute", 'id="attempts"'],
    "referral": ["National Child Exploitation Unit (example)", 'id="package-sha256"'],
    "lists": ["partner-hotline", "tip-sample"],
    "audit": ["referral:create", "notice:response-dispute"],
}


@pytest.fixture(autouse=True)
def screenshot_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SETTINGS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SENTINELLE_REVIEW_KEY", Fernet.generate_key().decode())
    for name in ("SENTINELLE_SMTP_URL", "SENTINELLE_REVIEW_AGREEMENT", "SENTINELLE_REVIEW_VERIFIED_LIST"):
        monkeypatch.delenv(name, raising=False)


def test_every_photographed_page_shows_its_seeded_content() -> None:
    seeded = seed()
    clients = {"analyst": Client(), "supervisor": Client()}
    staff(clients["analyst"], "cat", "analyst")
    staff(clients["supervisor"], "sue", "supervisor")
    assert {shot.name for shot in SHOTS} == set(EXPECTED)
    for shot in SHOTS:
        answer = clients[shot.role].get(address(shot, seeded))
        assert answer.status_code == 200, (shot.name, answer.status_code)
        text = answer.content.decode()
        for wanted in EXPECTED[shot.name]:
            assert wanted in text, (shot.name, wanted)


def test_an_address_is_filled_from_the_seeded_references() -> None:
    seeded = seed()
    shot = Shot("report", "reports/{report}/", "analyst")
    assert address(shot, seeded) == f"/en/console/reports/{seeded.report}/"
    assert seeded.report.startswith("TL-") and seeded.referral.startswith("RF-")
