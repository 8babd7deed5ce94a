"""The tipline through HTTP (Django's test client, CSRF checks on): both languages, the
receipt, adding information, the honeypot, size limits and hostile input shown escaped."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sentinelle.crawl.models import CrawlRequest
from sentinelle.tipline.models import Addition, Report

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \u202e'


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def post(client: Client, path: str, data: dict[str, str]) -> tuple[int, str]:
    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token, "no CSRF token on the page"
    answer = client.post(path, {**data, "csrfmiddlewaretoken": token.group(1)})
    return answer.status_code, answer.content.decode()


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
    code = re.search(r'id="receipt">([0-9A-Z-]{29})<', page)
    assert code
    report = Report.objects.get()
    assert report.language == "fr" and report.danger_now and report.contact_email == "me@example.org"
    assert report.reference in page and CrawlRequest.objects.get().url == "https://chat.example.org/room/9"
    status, page = post(browser, "/en/add/", {"receipt": code.group(1).lower(), "text": "It happened again."})
    assert status == 200 and "your information was added" in page
    assert Addition.objects.get().report == report
    status, page = post(browser, "/en/add/", {"receipt": "ABCDE-ABCDE-ABCDE-ABCDE-ABCDE", "text": "x"})
    assert status == 404 and "No report has this receipt number" in page and Addition.objects.count() == 1


def test_hostile_input_is_stored_and_shown_escaped(browser: Client) -> None:
    status, page = post(browser, "/en/", {**REPORT, "what": HOSTILE * 600, "when": HOSTILE})
    assert status == 400 and "at most 10,000 characters" in page  # refused, kept in the form
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)" in page
    status, page = post(browser, "/en/", {**REPORT, "what": HOSTILE, "when": HOSTILE + "\x00"})
    assert status == 200 and Report.objects.get().what_happened == HOSTILE
    assert Report.objects.get().when_happened == HOSTILE + "\ufffd"


def test_the_honeypot_gets_a_receipt_and_stores_nothing(browser: Client) -> None:
    status, page = post(browser, "/en/", {**REPORT, "website": "http://spam.example"})
    assert status == 200 and 'id="receipt"' in page
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
