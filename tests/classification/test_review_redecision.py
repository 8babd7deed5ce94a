"""Matches against an unverified list wait for analysts; once two agree the media is csam, its
hashes join the verified list and the waiting sightings are decided again by the notice
intake, against the sandbox web's real attribution (RDAP, ASN data), into a notice item."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from classification_support import intake_pass, staff
from django.test import Client

from notices.notices_support import LEGAL_BASIS
from notices.rechecks_support import START, SandboxWorld, sight, start_world, store_known_list
from sentinelle import clock as clocks
from sentinelle.notices import wiring
from sentinelle.notices.models import IntakeState, ItemMatch, NoticeItem, SightingIntake
from sentinelle.notices.scheduling import DueMatches
from sentinelle.sightings.models import Match

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxWorld]:
    running = start_world(tmp_path_factory.mktemp("review-sandbox"))
    yield running
    running.thread.stop()


@pytest.fixture
def sandbox(world: SandboxWorld, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[SandboxWorld]:
    """The notice settings and the sandbox's resolver for attribution (as tests/notices do)."""
    for name, value in {**world.env(), "SENTINELLE_NOTICE_FROM": "Hotline Test <notices@hotline.example>",
                        "SENTINELLE_NOTICE_ORG": "Hotline Test", "SENTINELLE_NOTICE_WINDOW_MINUTES": "1440",
                        "SENTINELLE_LEGAL_BASIS_CSAM": LEGAL_BASIS,
                        "SENTINELLE_WEBHOOK_SECRETS": str(tmp_path / "none")}.items():
        monkeypatch.setenv(name, value)
    for name in ("SENTINELLE_SMTP_URL", "SENTINELLE_NOTIFY_REGISTRAR", "SENTINELLE_ESCALATION_POLICY"):
        monkeypatch.delenv(name, raising=False)
    world.reset_registries()
    previous = wiring.install(wiring.Wiring(world.sandbox.resolver))
    with clocks.using(clocks.ManualClock(START)):
        yield world
    wiring.install(previous)


def test_agreement_turns_waiting_matches_into_notice_items(sandbox: SandboxWorld, client: Client) -> None:
    store_known_list(sandbox, name="partner-unverified", verified=False)
    provider = sandbox.provider(0)
    url = sandbox.media_urls(provider)[0]
    sighting = sight(url, sandbox.sandbox.resolver, seen_at=START)
    assert sighting.matches.exists() and not sighting.matches.exclude(list_name="partner-unverified").exists()
    assert intake_pass(START).states == {"analyst": 1}
    assert not NoticeItem.objects.exists()

    staff(client, "ana")
    other = Client()
    staff(other, "bob")
    item = f"/en/console/review/media/{sighting.media.sha256}/"
    page = client.get(item).content.decode()
    assert "partner-unverified" in page and sighting.url in page
    for analyst in (client, other):
        analyst.get(item)
        assert analyst.post(f"{item}classify/", {"category": "csam"}).status_code == 302

    intake = SightingIntake.objects.get(sighting=sighting)
    assert intake.state == IntakeState.REDECIDE and "hotline-verified" in intake.reason
    added = Match.objects.filter(sighting=sighting, list_name="hotline-verified")
    assert added.exists() and all(m.distance == 0 and m.confirmed_reference for m in added)
    assert {m.signal_type for m in added} >= {"sha256", "md5", "sha1"}
    assert DueMatches().enqueue_due(START, 10) == 1

    report = intake_pass(START)
    assert report.states == {"noticed": 1} and report.items_added == 1
    notice_item = NoticeItem.objects.get(sighting=sighting)
    assert notice_item.category == "csam" and notice_item.notice.recipient_email == provider["abuse_email"]
    assert {m.list_name for m in ItemMatch.objects.filter(item=notice_item)} == {"hotline-verified"}
    assert SightingIntake.objects.get(sighting=sighting).state == IntakeState.NOTICED
    assert intake_pass(START).examined == 0  # decided once
