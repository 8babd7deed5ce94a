"""The provider response page in Chromium, as a recipient uses it: a real notice is made and
sent (console channels) in the served site's database, its signed link (from
:func:`sentinelle.notices.links.response_url`) is opened in English and in French, axe-core
finds no serious problem, and a ``removed`` answer sent through the form is confirmed.

Run as a script (``python test_browser_responses.py LANGUAGE``) against the site's database,
it makes that notice and prints its link."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from browser_support import Site, accessibility_problems

NOTICE_SETTINGS = {
    "SENTINELLE_NOTICE_FROM": "Hotline Test <notices@hotline.example>",
    "SENTINELLE_NOTICE_ORG": "Hotline Test",
    "SENTINELLE_LEGAL_BASIS_CSAM": "Criminal Code of Testland, s. 163.1 (test wording)",
    "SENTINELLE_NOTICE_WINDOW_MINUTES": "1440",
}


def make_sent_notice(language: str) -> str:
    """A notice of two items to an example host, sent through the console channels; its link."""
    from datetime import UTC, datetime, timedelta

    from sentinelle.cli.database import setup_django

    setup_django()
    from sentinelle.audit.services import Actor
    from sentinelle.notices.delivery.base import Channels
    from sentinelle.notices.delivery.console import ConsoleMail, ConsoleWebhook
    from sentinelle.notices.items import ItemInput
    from sentinelle.notices.links import response_url
    from sentinelle.notices.outbox import deliver
    from sentinelle.notices.recipients import NoticeRecipient
    from sentinelle.notices.services import add_items

    seen = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    items = [ItemInput(url=f"http://files.example.net/{language}/{seed}.jpg", sha256=f"{seed:064x}",
                       mime="image/jpeg", ip="192.0.2.10", category="csam", first_seen=seen,
                       last_verified=seen + timedelta(minutes=5)) for seed in (1, 2)]
    recipient = NoticeRecipient(key=f"provider:example-host-{language}", name="Example Hosting abuse desk",
                                email="abuse@example.net", language=language, role="host", provider="example-host")
    notice = add_items(recipient, items, actor=Actor.system("test"), now=seen).notice
    assert notice is not None
    assert deliver(notice.pk, worker="test", channels=Channels(ConsoleMail(), ConsoleWebhook())) == "sent"
    notice.refresh_from_db()
    return response_url(notice)


@pytest.fixture(scope="module")
def links(site: Site) -> dict[str, str]:
    """The response link of a sent notice to an English and to a French recipient."""
    env = {**site.env, **NOTICE_SETTINGS, "SENTINELLE_PUBLIC_URL": site.url.rstrip("/")}
    made = {}
    for language in ("en", "fr"):
        done = subprocess.run([sys.executable, __file__, language], env=env, capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        made[language] = done.stdout.strip().splitlines()[-1]
    return made


@pytest.mark.parametrize(("language", "heading", "removed", "send", "thanks", "dispute", "why"), [
    ("en", "Notice SN-", "It has been removed", "Send", "Thank you: your answer was received",
     "I dispute this item", "Please give the reason"),
    ("fr", "Avis SN-", "Il a été retiré", "Envoyer", "Merci : votre réponse a bien été reçue",
     "Je conteste cet élément", "Veuillez indiquer le motif"),
])
def test_the_recipient_answers_removed_through_the_signed_link(
    site: Site, page: Any, links: dict[str, str], language: str, heading: str, removed: str, send: str,
    thanks: str, dispute: str, why: str,
) -> None:
    link = links[language]
    assert link.startswith(site.url + "respond/")
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text().startswith(heading)
    assert accessibility_problems(page) == []
    first = page.locator("form").first
    first.get_by_label(removed).check()
    first.get_by_role("button", name=send).click()
    status = page.get_by_role("status")
    assert thanks in status.inner_text()
    assert "?received=" in page.url
    assert accessibility_problems(page) == []  # the confirmation and the history too
    page.goto(link)
    assert page.locator("#history li").count() == 1
    second = page.locator("form").nth(1)  # a dispute without its reason is refused, and said so
    second.get_by_label(dispute).check()
    second.get_by_role("button", name=send).click()
    assert why in page.get_by_role("alert").inner_text()
    assert accessibility_problems(page) == []


if __name__ == "__main__":
    print(make_sent_notice(sys.argv[1]))
