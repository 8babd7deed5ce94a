"""The tipline through HTTP (Django's test client, CSRF checks on): both languages, the
receipt after a redirect and shown once, a form sent twice stored once, one-time tokens,
adding information, the honeypot, size limits and hostile input shown escaped."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from sentinelle.audit.models import AuditEvent
from sentinelle.crawl.models import CrawlRequest
from sentinelle.tipline.models import Addition, Report

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \u202e'


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def tokens(client: Client, path: str) -> dict[str, str]:
    """The CSRF token of the form at ``path`` and, on the report form, its one-time token."""
    page = client.get(path).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the page"
    found = {"csrfmiddlewaretoken": token.group(1)}
    submission = re.search(r'name="submission" value="([^"]*)"', page)
    if submission:
        found["submission"] = submission.group(1)
    return found


def post(client: Client, path: str, data: dict[str, str]) -> tuple[int, str]:
    """Post the form at ``path`` as a browser does (a redirect is followed)."""
    answer = client.post(path, {**tokens(client, path), **data}, follow=True)
    return answer.status_code, answer.content.decode()


def receipt_code(page: str) -> str:
    code = re.search(r'id="receipt">([0-9A-Z-]{29})<', page)
    assert code, "no receipt code on the page"
    return code.group(1)


REPORT = {"category": "luring", "danger": "unsure", "urls": "https://chat.example.org/room/9",
          "what": "Someone asked my niece for pictures."}


def test_the_form_is_in_english_and_french_with_the_danger_banner(browser: Client) -> None:
    english = browser.get("/en/").content.decode()
    french = browser.get("/fr/").content.decode()
    assert "Call 911 or your local police now." in english and '<html lang="en">' in english
    assert "Appelez le 911 ou votre police locale maintenant." in french and '<html lang="fr">' in french
    assert "Trafficking of children" in english and "Traite d&#x27;enfants" in french
    assert 'href="/fr/"' in english and 'href="/en/"' in french
    assert 'type="file"' not in english and "screenshot" in english
    assert browser.get("/en/").headers["Cache-Control"] == "no-store"


def test_the_root_redirects_to_a_language(browser: Client) -> None:
    answer = browser.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert answer.status_code == 302 and answer.headers["Location"] == "/fr/"


def test_a_report_shows_a_receipt_that_adds_information(browser: Client) -> None:
    status, page = post(browser, "/fr/", {**REPORT, "contact_email": "me@example.org"})
    assert status == 200 and "Merci : votre signalement a été reçu" in page
    code = receipt_code(page)
    report = Report.objects.get()
    assert report.language == "fr" and report.danger_now and report.contact_email == "me@example.org"
    assert report.reference in page and CrawlRequest.objects.get().url == "https://chat.example.org/room/9"
    status, page = post(browser, "/en/add/", {"receipt": code.lower(), "text": "It happened again."})
    assert status == 200 and "your information was added" in page
    assert Addition.objects.get().report == report
    status, page = post(browser, "/en/add/", {"receipt": "ABCDE-ABCDE-ABCDE-ABCDE-ABCDE", "text": "x"})
    assert status == 404 and "No report has this receipt number" in page and Addition.objects.count() == 1


def test_the_post_redirects_to_a_receipt_shown_once(browser: Client) -> None:
    assert "sessionid" not in browser.get("/fr/").cookies  # the form page adds no session
    answer = browser.post("/fr/", {**tokens(browser, "/fr/"), **REPORT})
    assert answer.status_code == 303 and answer.headers["Location"] == "/fr/receipt/"
    assert "id=\"receipt\"" not in answer.content.decode() and answer.cookies["sessionid"].value
    assert browser.head("/fr/receipt/").status_code == 200  # a HEAD leaves the receipt for the GET
    shown = browser.get("/fr/receipt/")
    code = receipt_code(shown.content.decode())
    assert shown.headers["Cache-Control"] == "no-store" and Report.objects.get().reference in shown.content.decode()
    assert browser.cookies["sessionid"].value == ""  # the emptied session is deleted with its cookie
    assert not any(code in str(s.get_decoded()) for s in Session.objects.all())
    again = browser.get("/fr/receipt/").content.decode()
    assert "Ce reçu a déjà été affiché" in again and code not in again and 'id="receipt"' not in again
    assert Report.objects.count() == 1


def test_the_same_form_posted_twice_stores_one_report(browser: Client) -> None:
    form = tokens(browser, "/en/")
    first = browser.post("/en/", {**form, **REPORT}, follow=True)
    code = receipt_code(first.content.decode())
    again = browser.post("/en/", {**form, **REPORT, "what": "Changed my mind about the words."})
    page = again.content.decode()
    assert again.status_code == 200 and "This report was already received" in page
    assert Report.objects.get().reference in page and code not in page and "cannot be shown again" in page
    assert Report.objects.count() == 1 and CrawlRequest.objects.count() == 1
    assert Report.objects.get().what_happened == REPORT["what"]
    assert AuditEvent.objects.filter(action="report:create").count() == 1
    french = browser.post("/fr/", {**form, **REPORT}).content.decode()
    assert "Ce signalement a déjà été reçu" in french and Report.objects.count() == 1


@pytest.mark.parametrize("token", ["", "forged", "abc:def:ghi", "altered"])
def test_a_missing_or_forged_token_is_refused_and_stores_nothing(browser: Client, token: str) -> None:
    form = tokens(browser, "/en/")
    if token == "altered":  # a real token with its random part changed keeps its signature
        token = "A" + form["submission"][1:] if form["submission"][0] != "A" else "B" + form["submission"][1:]
    answer = browser.post("/en/", {**form, **REPORT, "submission": token})
    page = answer.content.decode()
    assert answer.status_code == 400 and "it did not come from this site&#x27;s page" in page
    assert "Someone asked my niece for pictures." in page  # what was typed comes back
    fresh = re.search(r'name="submission" value="([^"]+)"', page)
    assert fresh and fresh.group(1) != form["submission"]
    assert Report.objects.count() == 0 and CrawlRequest.objects.count() == 0 and not AuditEvent.objects.exists()
    assert "sessionid" not in answer.cookies
    answer = browser.post("/en/", {**form, **REPORT, "submission": fresh.group(1)}, follow=True)
    assert answer.redirect_chain == [("/en/receipt/", 303)] and Report.objects.count() == 1


def test_hostile_input_is_stored_and_shown_escaped(browser: Client) -> None:
    status, page = post(browser, "/en/", {**REPORT, "what": HOSTILE * 600, "when": HOSTILE})
    assert status == 400 and "at most 10,000 characters" in page  # refused, kept in the form
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)" in page
    status, page = post(browser, "/en/", {**REPORT, "what": HOSTILE, "when": HOSTILE + "\x00"})
    assert status == 200 and Report.objects.get().what_happened == HOSTILE
    assert Report.objects.get().when_happened == HOSTILE + "\ufffd"


def test_the_honeypot_gets_a_receipt_and_stores_nothing(browser: Client) -> None:
    answer = browser.post("/en/", {**tokens(browser, "/en/"), **REPORT, "website": "http://spam.example"},
                          follow=True)
    assert answer.redirect_chain == [("/en/receipt/", 303)]  # as a real report
    assert answer.status_code == 200 and receipt_code(answer.content.decode())
    assert Report.objects.count() == 0 and CrawlRequest.objects.count() == 0


def test_a_private_address_is_received_like_any_other(browser: Client) -> None:
    status, page = post(browser, "/en/", {**REPORT, "urls": "http://127.0.0.1:6379/"})
    assert status == 200 and "your report was received" in page and "6379" not in page
    assert CrawlRequest.objects.count() == 0 and Report.objects.get().urls.get().refusal


def test_refusals(browser: Client) -> None:
    assert post(browser, "/en/", {**REPORT, "urls": "not a url at all:9999999"})[0] == 400
    status, page = post(browser, "/en/", {**REPORT, "category": "nope"})
    assert status == 400 and "Choose what the report is about." in page
    big = browser.post("/en/", {"what": "x" * 200_000})
    assert big.status_code == 403  # no CSRF token: refused before anything is read
    status, page = post(browser, "/en/", {**REPORT, "urls": "x.example " * 10_000})
    assert status == 400 and "at most 20" in page
    status, page = post(browser, "/en/", {**REPORT, "what": "x" * 150_000})
    assert status == 413 and "too large" in page and Report.objects.count() == 0


def test_no_csrf_token_no_report() -> None:
    answer = Client(enforce_csrf_checks=True).post("/en/", REPORT)
    assert answer.status_code == 403 and Report.objects.count() == 0


def test_the_rate_limit_answers_429(browser: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_TIPLINE_SUBMISSIONS_PER_HOUR", "1")
    assert post(browser, "/en/", REPORT)[0] == 200
    status, page = post(browser, "/en/", REPORT)
    assert status == 429 and "try again later" in page and Report.objects.count() == 1
