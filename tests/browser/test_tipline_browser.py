"""The tipline in Chromium, as a person uses it: a report in French and one in English with
their receipts (after the redirect, shown once), information added with the receipt, the
form sent again, hostile input shown escaped, the keyboard alone, and axe-core on every public
page. And one form posted four times at once to the real server: one report."""

from __future__ import annotations

import http.client
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from browser_support import Site, accessibility_problems

HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned=2"> & "quotes"'


def fill_report(page: Any, *, category: str, danger: str, urls: str, what: str) -> None:
    page.check(f"input[name=category][value={category}]")
    page.check(f"input[name=danger][value={danger}]")
    page.fill("#urls", urls)
    page.fill("#what", what)


def reports(site: Site) -> list[tuple[str, str, str]]:
    with sqlite3.connect(Path(site.env["SENTINELLE_DATA_DIR"]) / "sentinelle.sqlite3") as db:
        return db.execute("SELECT reference, language, what_happened FROM tipline_report ORDER BY id").fetchall()


def test_a_report_in_french_then_information_added_with_the_receipt(site: Site, page: Any) -> None:
    page.goto(site.url + "fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Appelez le 911" in page.locator(".urgent").inner_text()
    fill_report(page, category="sextortion", danger="yes", urls="https://chat.example.org/u/42",
                what="Quelqu'un menace de publier des photos de ma fille.")
    sent_token = page.input_value("input[name=submission]")
    page.get_by_role("button", name="Envoyer le signalement").click()
    assert "Merci : votre signalement a été reçu" in page.locator("h1").inner_text()
    assert page.url == site.url + "fr/receipt/"
    receipt = page.locator("#receipt").inner_text()
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){4}", receipt)
    assert (reference, "fr") in [(r, lang) for r, lang, _ in reports(site)]
    page.reload()  # a GET of the receipt: no second report, and the code is gone
    assert "Ce reçu a déjà été affiché" in page.locator("h1").inner_text() and receipt not in page.content()
    assert len(reports(site)) == len(set(reports(site))) and page.locator("#receipt").count() == 0
    assert accessibility_problems(page) == []
    page.go_back()  # the form page is no-store: Chromium fetches it again, with a fresh token...
    count = len(reports(site))
    fill_report(page, category="sextortion", danger="yes", urls="https://chat.example.org/u/42", what="Encore.")
    # ...so put back the token it was sent with, as a browser showing the page from its cache would
    page.eval_on_selector("input[name=submission]", "(e, token) => { e.value = token; }", sent_token)
    page.get_by_role("button", name="Envoyer le signalement").click()
    assert "Ce signalement a déjà été reçu" in page.locator("h1").inner_text()
    assert page.locator("#reference").inner_text() == reference and receipt not in page.content()
    assert len(reports(site)) == count and accessibility_problems(page) == []
    assert {c["name"] for c in page.context.cookies()} <= {"csrftoken"}  # the session went with the receipt
    page.get_by_role("link", name="Ajouter des informations à un signalement").click()
    page.fill("#receipt", receipt)
    page.fill("#text", "Il a recommencé ce soir.")
    page.get_by_role("button", name="Ajouter au signalement").click()
    assert "vos informations ont été ajoutées" in page.locator("h1").inner_text()


def test_a_report_in_english_by_keyboard_alone(site: Site, page: Any) -> None:
    page.goto(site.url + "en/")
    page.focus("input[name=category][value=luring]")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to the danger question
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("https://forum.example.net/t/1")
    page.keyboard.press("Tab")
    page.keyboard.type("An adult asks children to move to a private chat.")
    page.focus("button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#receipt")
    assert "Thank you: your report was received" in page.locator("h1").inner_text()
    assert reports(site)[-1][1:] == ("en", "An adult asks children to move to a private chat.")


def test_hostile_input_is_shown_escaped(site: Site, page: Any) -> None:
    page.goto(site.url + "en/")
    fill_report(page, category="other", danger="no", urls="https://x.example/\nhttp://127.0.0.1:6379/", what="ok")
    page.fill("#when", HOSTILE)
    page.fill("#what", HOSTILE * 300)  # too long: the form comes back with the text kept
    page.eval_on_selector("#what", "e => e.removeAttribute('maxlength')")
    page.fill("#what", HOSTILE * 300)
    page.get_by_role("button", name="Send the report").click()
    assert "at most 10,000 characters" in page.locator("[role=alert]").inner_text()
    assert page.input_value("#when") == HOSTILE and page.input_value("#what") == HOSTILE * 300
    assert page.evaluate("window.pwned") is None and page.locator("script").count() == 0
    page.fill("#what", HOSTILE)
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_selector("#receipt")
    assert reports(site)[-1][2] == HOSTILE and page.evaluate("window.pwned") is None


@pytest.mark.parametrize("path", ["en/", "fr/", "en/add/", "fr/add/"])
def test_no_serious_accessibility_problem(site: Site, page: Any, path: str) -> None:
    page.goto(site.url + path)
    assert accessibility_problems(page) == []


def test_the_receipt_and_refusal_pages_are_accessible(site: Site, page: Any) -> None:
    page.goto(site.url + "en/add/")
    page.fill("#receipt", "nope")
    page.fill("#text", "x")
    page.get_by_role("button", name="Add to the report").click()
    assert page.locator("[role=alert]").count() == 1 and accessibility_problems(page) == []
    page.goto(site.url + "en/")
    fill_report(page, category="csam", danger="no", urls="https://files.example.net/1", what="A gallery.")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_selector("#receipt")
    assert accessibility_problems(page) == []


def test_one_form_posted_four_times_at_once_stores_one_report(site: Site) -> None:
    where = urlsplit(site.url)
    first = http.client.HTTPConnection(where.hostname or "", where.port, timeout=30)
    first.request("GET", "/en/")
    answer = first.getresponse()
    cookie = answer.getheader("Set-Cookie", "").split(";")[0]
    form = answer.read().decode()
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|submission)" value="([^"]+)"', form))
    body = urlencode({**fields, "category": "other", "danger": "no", "urls": "https://race.example/1",
                      "what": "The same form, four times at once."})
    before, start, statuses = len(reports(site)), threading.Barrier(4), []

    def send() -> None:
        connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=60)
        start.wait()
        connection.request("POST", "/en/", body, {"Cookie": cookie,
                                                  "Content-Type": "application/x-www-form-urlencoded"})
        reply = connection.getresponse()
        statuses.append((reply.status, "already received" in reply.read().decode()))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert sorted(statuses) == [(200, True)] * 3 + [(303, False)], statuses
    assert len(reports(site)) == before + 1


def test_the_accessibility_check_does_find_problems(page: Any) -> None:
    page.set_content("<html><body><img src='data:,'><input type=text></body></html>")
    assert any(problem.startswith("image-alt") for problem in accessibility_problems(page))
