"""The classification rule through HTTP: N analysts agreeing put the media's hashes on the
verified list (change log, audit, and the matcher now matches); a disagreement goes to a
supervisor whose settlement is final; "not illegal" lists nothing."""

from __future__ import annotations

import re

import pytest
from classification_support import intake_pass, kept_item, picture, staff, waiting_item
from django.test import Client

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.verify import verify
from sentinelle.banks.models import KnownHash, ListChange, StoredList
from sentinelle.banks.services import load_lists
from sentinelle.classification.models import Decision, Verdict
from sentinelle.engine.matcher import Matcher
from sentinelle.engine.scan import ScanSettings, scan_bytes
from sentinelle.notices.models import IntakeState, SightingIntake
from sentinelle.sightings.models import Media

pytestmark = pytest.mark.django_db
ITEMS = re.compile(r'href="/en/console/review/media/([0-9a-f]{64})/"')


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def logged_in(name: str, role: str = "analyst") -> Client:
    client = Client()
    staff(client, name, role)
    return client


def classify(client: Client, media: Media, category: str) -> int:
    client.get(f"/en/console/review/media/{media.sha256}/")
    return client.post(f"/en/console/review/media/{media.sha256}/classify/", {"category": category}).status_code


def test_two_analysts_agreeing_put_the_hashes_on_the_verified_list() -> None:
    media = kept_item(21, reference=True)
    ana, bob, carl = logged_in("ana"), logged_in("bob"), logged_in("carl")
    before = len(actions())
    assert classify(ana, media, "csam") == 302
    assert not Decision.objects.exists() and not StoredList.objects.filter(name="hotline-verified").exists()
    assert classify(bob, media, "csam") == 302
    decision = Decision.objects.get(media=media)
    assert (decision.category, decision.how, decision.list_name) == ("csam", "agreement", "hotline-verified")
    stored = StoredList.objects.get(name="hotline-verified")
    assert stored.verified and stored.enabled
    listed = {(k.signal_type, k.hash, k.category) for k in KnownHash.objects.filter(list=stored)}
    expected = {("sha256", media.sha256, "csam"), ("md5", media.md5, "csam"), ("sha1", media.sha1, "csam")}
    assert media.pdq_path == "reference" and (media.pdq_quality or 0) >= 50
    expected.add(("pdq", media.pdq, "csam"))
    assert listed == expected
    assert {(c.op, c.signal_type, c.hash) for c in ListChange.objects.filter(list=stored)} == {
        ("add", kind, value) for kind, value, _ in expected}
    assert actions()[before:] == ["review:classify", "review:classify", "lists:create", "lists:import",
                                  "review:decide"]
    assert verify().ok
    _, matches = scan_bytes(picture(21), Matcher(load_lists(["hotline-verified"])), ScanSettings())
    assert {m.signal_type for m in matches} >= {"sha256", "md5", "sha1", "pdq"}
    # decided: out of everyone's queue, and no more verdicts
    assert media.sha256 not in ITEMS.findall(carl.get("/en/console/review/").content.decode())
    assert classify(carl, media, "not-illegal") == 409 and Verdict.objects.count() == 2


def test_a_disagreement_goes_to_a_supervisor_whose_settlement_is_final() -> None:
    media = kept_item(22)
    ana, bob, carl = logged_in("ana"), logged_in("bob"), logged_in("carl")
    classify(ana, media, "csam")
    classify(bob, media, "not-illegal")
    assert not Decision.objects.exists()
    assert media.sha256 not in ITEMS.findall(carl.get("/en/console/review/").content.decode())
    assert classify(carl, media, "csam") == 409
    assert ana.get("/en/console/review/disagreements/").status_code == 403
    assert ana.post(f"/en/console/review/media/{media.sha256}/settle/", {"category": "csam"}).status_code == 403
    sue = logged_in("sue", "supervisor")
    disputes = sue.get("/en/console/review/disagreements/").content.decode()
    assert ITEMS.findall(disputes) == [media.sha256] and "ana: Child sexual abuse" in disputes
    item = sue.get(f"/en/console/review/media/{media.sha256}/").content.decode()
    assert 'id="verdicts"' in item and 'id="settle"' in item and 'id="classify"' not in item
    answer = sue.post(f"/en/console/review/media/{media.sha256}/settle/", {"category": "harmful-abusive"})
    assert answer.status_code == 302 and answer["Location"].endswith("?done=settled")
    decision = Decision.objects.get(media=media)
    assert (decision.category, decision.how, decision.decided_by) == ("harmful-abusive", "settled", "sue")
    listed = KnownHash.objects.filter(list__name="hotline-verified")
    assert {k.category for k in listed} == {"harmful-abusive"}
    assert media.pdq_path == "fast" and {k.signal_type for k in listed} == {"sha256", "md5", "sha1"}
    settled = AuditEvent.objects.get(action="review:settle")
    assert settled.actor == "sue" and settled.before == {"verdicts": ["csam", "not-illegal"]}
    assert settled.after == {"category": "harmful-abusive"}
    again = sue.post(f"/en/console/review/media/{media.sha256}/settle/", {"category": "not-illegal"})
    assert again.status_code == 409 and Decision.objects.get(media=media).category == "harmful-abusive"
    assert "No disagreement to settle." in sue.get("/en/console/review/disagreements/").content.decode()


def test_only_disputed_items_are_settled() -> None:
    media = kept_item(23)
    sue = logged_in("sue", "supervisor")
    assert sue.post(f"/en/console/review/media/{media.sha256}/settle/", {"category": "csam"}).status_code == 409
    assert not Decision.objects.exists()


def test_the_number_of_analysts_who_must_agree_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_REVIEW_AGREEMENT", "3")
    monkeypatch.setenv("SENTINELLE_REVIEW_VERIFIED_LIST", "our-confirmed")
    media = kept_item(24)
    for name in ("ana", "bob"):
        classify(logged_in(name), media, "harmful-abusive")
    assert not Decision.objects.exists()
    classify(logged_in("carl"), media, "harmful-abusive")
    assert Decision.objects.get(media=media).list_name == "our-confirmed"
    assert KnownHash.objects.filter(list__name="our-confirmed", hash=media.sha256).exists()


def test_agreeing_it_is_not_illegal_lists_nothing_and_ends_the_wait() -> None:
    sighting, _ = waiting_item(25)
    assert intake_pass().states == {"analyst": 1}
    for name in ("ana", "bob"):
        assert classify(logged_in(name), sighting.media, "not-illegal") == 302
    assert Decision.objects.get(media=sighting.media).category == "not-illegal"
    assert not StoredList.objects.filter(name="hotline-verified").exists()
    intake = SightingIntake.objects.get(sighting=sighting)
    assert intake.state == IntakeState.SKIPPED and "not illegal" in intake.reason
    assert intake_pass().examined == 0


def test_an_unverified_list_under_the_configured_name_is_never_filled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_REVIEW_VERIFIED_LIST", "partner-unverified")
    sighting, _ = waiting_item(26)
    ana, bob = logged_in("ana"), logged_in("bob")
    classify(ana, sighting.media, "csam")
    assert classify(bob, sighting.media, "csam") == 409
    assert not Decision.objects.exists() and Verdict.objects.count() == 1
    assert KnownHash.objects.filter(list__name="partner-unverified").count() == 1
