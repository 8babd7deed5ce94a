"""A notice's page through HTTP: its items (addresses as text, hashes, category, status), its
timeline, delivery attempts and responses (hostile text escaped); the waiting page."""

from __future__ import annotations

import pytest
from django.test import Client

from sentinelle.attribution.models import AttributionFlag
from support.console_login import staff
from support.notice_builders import T0, answered, digest, sent_notice

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_the_notice_page_shows_items_timeline_attempts_and_responses(client: Client) -> None:
    notice = sent_notice((1, 2))
    answered(notice, "dispute", f"Our logo {HOSTILE}", item_seed=1)
    answered(notice, "question", "Which account?", key="key-00000002")
    staff(client, "ana")
    page = client.get(f"/en/console/notices/{notice.reference}/")
    text = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;alert" in text
    assert "http://files.example.net/gallery/1.jpg" in text and 'href="http' not in text  # text, never a link
    for seed in (1, 2):
        for kind in ("sha256", "md5", "sha1", "pdq"):
            assert f"{kind}:{digest(kind, seed)}" in text
    assert 'status-disputed">disputed<' in text and 'status-open">open<' in text and "<td>csam</td>" in text
    for event in ("created", "queued", "attempt", "sent", "response-dispute", "response-question"):
        assert f'event-{event}">{event}<' in text
    assert 'id="attempts"' in text and '<span class="status">console</span>' in text
    assert text.count("waits for an analyst") == 2 and "Which account?" in text
    assert "A supervisor answers disputes and questions." in text  # an analyst sees, cannot answer
    assert 'name="decision"' not in text
    assert 'id="refer-items"' in text and "/en/console/referrals/new/" in text
    assert client.get("/en/console/notices/SN-2026-999999/").status_code == 404


def test_the_waiting_page_lists_what_waits_for_an_analyst(client: Client) -> None:
    notice = sent_notice((1, 2))
    answered(notice, "question", "When?", item_seed=2)
    AttributionFlag.objects.create(url="http://x.example/", url_key="0" * 64, host="x.example", reason="no-contact",
                                   created=T0, updated=T0)
    staff(client, "ana")
    text = client.get("/en/console/notices/waiting/").content.decode()
    assert f'href="/en/console/notices/{notice.reference}/#response-' in text
    assert "http://files.example.net/gallery/2.jpg" in text and 'id="open-flags">1<' in text
    assert 'href="/en/console/providers/flags/"' in text  # the console's flags page
    french = client.get("/fr/console/notices/waiting/").content.decode()
    assert "Ce qui attend un analyste" in french
