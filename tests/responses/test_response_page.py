"""The response page through HTTP (Django's test client): what it shows, what it records."""

from __future__ import annotations

import re
import time

import pytest
from django.core import signing
from django.test import Client
from responses_support import audit_actions, sent_notice

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.verify import verify
from sentinelle.notices.links import SALT, response_url
from sentinelle.notices.models import ItemStatus, Notice, NoticeItem
from sentinelle.responses.models import NoticeResponse

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \u202e'


def path_of(notice: Notice) -> str:
    return response_url(notice).removeprefix("https://hotline.example")


def form_key(page: str) -> str:
    keys = re.findall(r'name="key" value="([0-9a-f]{32})"', page)
    assert keys, "no form on the page"
    return keys[0]


def test_the_page_lists_every_item_without_any_image(client: Client) -> None:
    notice = sent_notice((1, 2))
    page = client.get(path_of(notice))
    assert page.status_code == 200
    html = page.content.decode()
    for item in notice.items.all():
        for value in (item.url, item.sha256, item.md5, item.sha1, item.pdq, str(item.report_id)):
            assert value in html
    assert "Child sexual abuse material" in html and "Harmful-abusive material depicting children" in html
    assert "2026-01-05 12:00 UTC" in html and "open: removal requested" in html
    assert "<img" not in html and "<a href=\"http://files.example.net" not in html  # no image, no link to it
    assert html.count('method="post"') == 3  # one per item and one for the whole notice
    assert f"Notice {notice.reference}" in html and "Hotline Test" in html


def test_the_page_is_private_and_locked_down(client: Client) -> None:
    page = client.get(path_of(sent_notice()))
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page.cookies["csrftoken"]["httponly"]


def test_a_french_recipient_gets_the_page_in_french(client: Client) -> None:
    notice = sent_notice(language="fr")
    html = client.get(path_of(notice)).content.decode()
    assert '<html lang="fr">' in html
    assert f"Avis {notice.reference}" in html and "Matériel d\u2019abus sexuel d\u2019enfants" in html
    assert "Votre réponse au sujet de cet élément" in html and "Envoyer" in html
    assert "Your answer about this item" not in html
    english = client.get(path_of(notice) + "?lang=en").content.decode()
    assert '<html lang="en">' in english and "Your answer about this item" in english


def test_a_dispute_is_recorded_once_then_confirmed(client: Client) -> None:
    notice = sent_notice()
    item = notice.items.order_by("id").first()
    assert item is not None
    url = path_of(notice)
    form = {"kind": "dispute", "item": str(item.report_id), "text": "We never hosted this.",
            "key": form_key(client.get(url).content.decode())}
    sent = client.post(url, form, REMOTE_ADDR="203.0.113.9")
    assert sent.status_code == 303 and sent["Location"].startswith(f"{url}?received={form['key']}")
    again = client.post(url, form)  # the browser sent it twice
    assert again.status_code == 303 and again["Location"] == sent["Location"]
    assert NoticeResponse.objects.count() == 1
    assert NoticeItem.objects.get(pk=item.pk).status == ItemStatus.DISPUTED
    assert audit_actions(str(notice.reference)).count("notice:response-dispute") == 1
    confirmation = client.get(sent["Location"])
    html = confirmation.content.decode()
    assert "Thank you: your answer was received" in html and "An analyst will review your dispute" in html
    assert "We never hosted this." in html and "disputed: an analyst is reviewing it" in html
    assert verify().ok


def test_a_french_confirmation_stays_in_french(client: Client) -> None:
    notice = sent_notice(language="fr")
    url = path_of(notice)
    sent = client.post(url, {"kind": "question", "item": "", "text": "Quand ?", "key": "k" * 32})
    html = client.get(sent["Location"]).content.decode()
    assert "Merci : votre réponse a bien été reçue" in html and "avis entier" in html


def test_hostile_text_is_stored_as_given_and_shown_escaped(client: Client) -> None:
    notice = sent_notice()
    url = path_of(notice)
    sent = client.post(url, {"kind": "question", "item": "", "text": HOSTILE, "key": "h" * 32})
    assert sent.status_code == 303
    assert NoticeResponse.objects.get().text == HOSTILE
    html = client.get(sent["Location"]).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_oversized_answers_are_refused_and_nothing_is_recorded(client: Client) -> None:
    notice = sent_notice()
    url = path_of(notice)
    events = AuditEvent.objects.count()
    too_long = client.post(url, {"kind": "question", "item": "", "text": "x" * 2001, "key": "o" * 32})
    assert too_long.status_code == 400
    assert "at most 2,000 characters" in too_long.content.decode()
    assert "x" * 2001 in too_long.content.decode()  # what was typed is given back, not lost
    huge = client.post(url, {"kind": "question", "item": "", "text": "x" * 40_000, "key": "p" * 32})
    assert huge.status_code == 413
    assert NoticeResponse.objects.count() == 0 and AuditEvent.objects.count() == events


def test_a_missing_choice_or_reason_is_explained(client: Client) -> None:
    notice = sent_notice()
    url = path_of(notice)
    no_kind = client.post(url, {"item": "", "text": "hello", "key": "q" * 32})
    assert no_kind.status_code == 400 and "Choose what you are telling us" in no_kind.content.decode()
    no_reason = client.post(url, {"kind": "dispute", "item": "", "text": "", "key": "r" * 32})
    assert no_reason.status_code == 400 and "Please give the reason" in no_reason.content.decode()
    assert NoticeResponse.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_foreign_link_gets_a_clear_404_and_changes_nothing(client: Client, method: str) -> None:
    notice = sent_notice()
    token = path_of(notice).split("/")[2]
    events = AuditEvent.objects.count()
    for bad in (token[:-2] + "zz", token.replace(":", "x"), "SN-2026-000001", signing.TimestampSigner(
            salt=SALT).sign("SN-2099-999999")):
        answer = getattr(client, method)(f"/respond/{bad}/", {"kind": "removed", "item": "", "key": "s" * 32})
        assert answer.status_code == 404, bad
        html = answer.content.decode()
        assert "This link is not valid" in html and "Ce lien n\u2019est pas valide" in html
        assert answer["Cache-Control"] == "no-store"
    assert NoticeResponse.objects.count() == 0 and AuditEvent.objects.count() == events


def test_an_expired_link_gets_a_clear_403(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    notice = sent_notice()
    long_ago = time.time() - 91 * 86400
    with monkeypatch.context() as patched:
        patched.setattr(signing.time, "time", lambda: long_ago)
        old = path_of(notice)
    answer = client.post(old, {"kind": "removed", "item": "", "key": "t" * 32})
    assert answer.status_code == 403
    assert "This link has expired" in answer.content.decode() and "Ce lien a expiré" in answer.content.decode()
    assert NoticeResponse.objects.count() == 0


def test_the_form_needs_its_csrf_token() -> None:
    browser = Client(enforce_csrf_checks=True)
    notice = sent_notice()
    url = path_of(notice)
    page = browser.get(url).content.decode()
    refused = browser.post(url, {"kind": "question", "item": "", "text": "?", "key": "u" * 32})
    assert refused.status_code == 403
    assert "The form could not be accepted" in refused.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    accepted = browser.post(url, {"kind": "question", "item": "", "text": "?", "key": "u" * 32,
                                  "csrfmiddlewaretoken": token.group(1)})
    assert accepted.status_code == 303
    assert NoticeResponse.objects.count() == 1


def test_a_retracted_item_has_no_form(client: Client) -> None:
    notice = sent_notice((1, 2))
    first = notice.items.order_by("id").first()
    assert first is not None
    NoticeItem.objects.filter(pk=first.pk).update(status=ItemStatus.RETRACTED)
    html = client.get(path_of(notice)).content.decode()
    assert html.count('method="post"') == 2 and "This item was withdrawn: no action is needed." in html
    refused = client.post(path_of(notice), {"kind": "dispute", "item": str(first.report_id), "text": "x",
                                            "key": "v" * 32})
    assert refused.status_code == 400 and "This item was withdrawn" in refused.content.decode()
    assert NoticeResponse.objects.count() == 0
