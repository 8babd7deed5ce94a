"""The review queue through HTTP: the blurred view is made on the server, the original leaves
only after an audited reveal (POST, CSRF, permission), classified items do not come back, and
who may open what."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import numpy as np
import pytest
from classification_support import PASSWORD, kept_item, picture, staff, waiting_item
from django.db.models import F
from django.test import Client
from PIL import Image

from sentinelle.accounts.models import Profile
from sentinelle.audit.models import AuditEvent
from sentinelle.classification.models import Exposure, Reveal
from sentinelle.sightings.models import Media

pytestmark = pytest.mark.django_db
ITEMS = re.compile(r'href="/en/console/review/media/([0-9a-f]{64})/"')


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_the_blurred_view_is_made_on_the_server(client: Client) -> None:
    media = kept_item(1)
    original = picture(1)
    staff(client, "ana")
    page = client.get(f"/en/console/review/media/{media.sha256}/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert f'src="/en/console/review/media/{media.sha256}/blurred.png"' in page.content.decode()
    assert "/original/" not in page.content.decode()
    answer = client.get(f"/en/console/review/media/{media.sha256}/blurred.png")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert answer["Cache-Control"] == "no-store" and answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Content-Disposition"] == "inline"
    shown = answer.content
    assert shown != original and original not in shown and len(shown) < len(original) / 4
    with Image.open(io.BytesIO(shown)) as image:
        assert image.format == "PNG" and image.mode == "L" and max(image.size) <= 240
        pixels = np.asarray(image, dtype=int)
    with Image.open(io.BytesIO(original)) as source:
        assert max(source.size) == 480
    # strongly blurred: neighbouring pixels hardly differ
    assert np.abs(np.diff(pixels, axis=1)).max() <= 16 and np.abs(np.diff(pixels, axis=0)).max() <= 16
    viewed = events("review:view")
    assert [(e.actor, e.target_id) for e in viewed] == [("ana", media.sha256)]


def test_the_original_needs_an_audited_reveal_posted_with_csrf(client: Client) -> None:
    media = kept_item(2)
    csrf = Client(enforce_csrf_checks=True)
    staff(csrf, "ana")
    item = f"/en/console/review/media/{media.sha256}/"
    assert csrf.post(f"{item}reveal/").status_code == 403  # no CSRF token
    assert csrf.post(f"{item}reveal/", {"csrfmiddlewaretoken": "forged" * 8}).status_code == 403
    assert csrf.get(f"{item}reveal/").status_code == 405
    assert csrf.get(f"{item}original/{'x' * 43}/").status_code == 403
    assert Reveal.objects.count() == 0 and events("review:reveal") == []
    token = str(csrf.get(item).context["csrf_token"])
    answer = csrf.post(f"{item}reveal/", {"csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    (reveal,) = Reveal.objects.all()
    assert answer["Location"] == f"{item}?reveal={reveal.token}"
    shown = csrf.get(answer["Location"]).content.decode()
    assert f'src="{item}original/{reveal.token}/"' in shown and "blurred.png" not in shown
    original = csrf.get(f"{item}original/{reveal.token}/")
    assert original.status_code == 200 and original.content == picture(2)
    assert original["Content-Type"] == "image/jpeg" and original["Cache-Control"] == "no-store"
    assert original["X-Content-Type-Options"] == "nosniff" and original["Content-Disposition"] == "inline"
    assert csrf.get(f"{item}original/{reveal.token}/").status_code == 403  # once only
    (revealed,) = events("review:reveal")
    assert (revealed.actor, revealed.target_id) == ("ana", media.sha256)
    assert [e.actor for e in events("review:view")] == ["ana"]
    assert Exposure.objects.get(analyst="ana", media=media).revealed


def test_a_reveal_is_for_the_analyst_who_asked(client: Client) -> None:
    media = kept_item(3)
    staff(client, "ana")
    client.post(f"/en/console/review/media/{media.sha256}/reveal/")
    token = Reveal.objects.get().token
    other = Client()
    staff(other, "bob")
    assert other.get(f"/en/console/review/media/{media.sha256}/original/{token}/").status_code == 403
    assert client.get(f"/en/console/review/media/{media.sha256}/original/{token}/").status_code == 200


def test_classified_items_do_not_come_back(client: Client) -> None:
    first, second = kept_item(4), kept_item(5)
    staff(client, "ana")
    listed = ITEMS.findall(client.get("/en/console/review/").content.decode())
    assert listed == [first.sha256, second.sha256]
    client.get(f"/en/console/review/media/{first.sha256}/")
    answer = client.post(f"/en/console/review/media/{first.sha256}/classify/", {"category": "not-illegal"})
    assert answer.status_code == 302 and answer["Location"] == "/en/console/review/?done=classified"
    page = client.get(answer["Location"]).content.decode()
    assert ITEMS.findall(page) == [second.sha256] and 'role="status"' in page
    again = client.post(f"/en/console/review/media/{first.sha256}/classify/", {"category": "csam"})
    assert again.status_code == 409
    (classified,) = events("review:classify")
    assert (classified.actor, classified.after) == ("ana", {"category": "not-illegal"})
    other = Client()
    staff(other, "bob")
    assert ITEMS.findall(other.get("/en/console/review/").content.decode()) == [first.sha256, second.sha256]


def test_an_unknown_category_is_refused(client: Client) -> None:
    media = kept_item(6)
    staff(client, "ana")
    answer = client.post(f"/en/console/review/media/{media.sha256}/classify/", {"category": "A1"})
    assert answer.status_code == 400 and b"Choose one of the categories." in answer.content
    assert events("review:classify") == []


def test_waiting_matches_appear_with_their_list_claim(client: Client) -> None:
    sighting, _ = waiting_item(7, keep=False)
    from classification_support import intake_pass

    assert intake_pass().states == {"analyst": 1}
    staff(client, "ana")
    assert ITEMS.findall(client.get("/en/console/review/").content.decode()) == [sighting.media.sha256]
    page = client.get(f"/en/console/review/media/{sighting.media.sha256}/").content.decode()
    assert 'id="claims"' in page and "partner-unverified" in page and sighting.url in page
    assert "blurred.png" not in page and "No picture can be shown" in page


def test_review_time_is_shown_to_the_analyst_and_to_supervisors(client: Client) -> None:
    media = kept_item(8)
    staff(client, "ana")
    client.get(f"/en/console/review/media/{media.sha256}/")
    Exposure.objects.filter(analyst="ana").update(started_at=F("started_at") - timedelta(seconds=90))
    client.post(f"/en/console/review/media/{media.sha256}/classify/", {"category": "not-illegal"})
    assert Exposure.objects.get(analyst="ana").ended_at is not None
    assert re.search(r"Your review time today: 1 min 3\d s", client.get("/en/console/review/").content.decode())
    assert client.get("/en/console/review/time/").status_code == 403
    boss = Client()
    staff(boss, "sue", "supervisor")
    table = boss.get("/en/console/review/time/").content.decode()
    assert 'id="review-time-table"' in table and "<td>ana</td>" in table


def test_who_may_open_what(client: Client) -> None:
    media = kept_item(9)
    item = f"/en/console/review/media/{media.sha256}/"
    visitor = client.get("/en/console/review/")
    assert visitor.status_code == 302 and visitor["Location"].startswith("/en/accounts/login/?next=")
    assert client.get(f"{item}blurred.png").status_code == 302
    staff(client, "ana")
    for supervisor_only in ("/en/console/review/disagreements/", "/en/console/review/time/"):
        assert client.get(supervisor_only).status_code == 403
    assert client.post(f"{item}settle/", {"category": "csam"}).status_code == 403
    Profile.objects.filter(user__username="ana").update(role="nobody")
    for address in ("/en/console/review/", item, f"{item}blurred.png"):
        assert client.get(address).status_code == 403
    assert client.post(f"{item}classify/", {"category": "csam"}).status_code == 403
    assert client.post(f"{item}reveal/").status_code == 403
    assert events("review:view") == [] and events("review:reveal") == []
    assert client.get("/en/console/review/media/" + "0" * 64 + "/").status_code == 403
    Profile.objects.filter(user__username="ana").update(role="analyst")
    assert client.get("/en/console/review/media/" + "0" * 64 + "/").status_code == 404
    known = Media.objects.filter(sightings__matches__isnull=False).first()
    assert known is not None and client.get(f"/en/console/review/media/{known.sha256}/").status_code == 404
    assert client.post(f"/en/console/review/media/{known.sha256}/classify/", {"category": "csam"}).status_code == 404
    assert Media.objects.count() >= 2 and PASSWORD


def test_the_queue_in_french(client: Client) -> None:
    media = kept_item(10)
    staff(client, "ana")
    page = client.get("/fr/console/review/").content.decode()
    assert "File d\u2019examen" in page and "1 élément à examiner" in page and 'lang="fr"' in page
    item = client.get(f"/fr/console/review/media/{media.sha256}/").content.decode()
    assert "Non illégal" in item and "Révéler l\u2019original (journalisé)" in item
