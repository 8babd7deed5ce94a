"""The notices list through HTTP: newest first, filters (status, kind, recipient, country),
pages, the French page, the waiting summary, and who may open it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from sentinelle.accounts.models import Profile
from sentinelle.attribution.models import Attribution
from sentinelle.notices.models import Notice
from support.console_login import staff
from support.notice_builders import T0, answered, recipient, sent_notice

pytestmark = pytest.mark.django_db


def references(client: Client, query: str = "") -> list[str]:
    page = client.get(f"/en/console/notices/{query}")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store", page
    text = page.content.decode()
    return [part.split('"', 1)[0] for part in text.split('href="/en/console/notices/SN-')[1:]]


def test_notices_newest_first_and_filtered(client: Client) -> None:
    first = sent_notice((1,), to=recipient("provider:alpha", name="Alpha Hosting", provider="alpha"))
    second = sent_notice((2,), to=recipient("provider:beta", name="Beta Cloud", provider="beta"),
                         host="cdn.beta.example", when=T0 + timedelta(days=1))
    item = second.items.get()
    Attribution.objects.create(url=item.url, url_key=item.url_key, host=item.host, country="NL", status="ok",
                               chain={}, attributed=T0)
    answered(first, "dispute", "Not ours", item_seed=1)
    staff(client, "ana")
    ref = lambda notice: str(notice.reference)[3:] + "/"  # noqa: E731
    assert references(client) == [ref(second), ref(first)]
    assert references(client, "?recipient=alpha") == [ref(first)]
    assert references(client, "?recipient=Beta+Cloud") == [ref(second)]
    assert references(client, "?country=nl") == [ref(second)]
    assert references(client, "?country=BE") == []
    assert references(client, "?status=sent&kind=notice") == [ref(second), ref(first)]
    assert references(client, "?status=draft") == []
    assert references(client, "?kind=retraction") == []
    assert references(client, "?status=bogus&kind=%3Cscript%3E") == [ref(second), ref(first)]  # ignored
    text = client.get("/en/console/notices/?recipient=%3Cscript%3Ealert(1)%3C/script%3E").content.decode()
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "1 response waits for an analyst." in text and "Disputed items: 1." in text
    assert Notice.objects.count() == 2


def test_pages_of_25_keep_the_filters(client: Client) -> None:
    for number in range(27):
        sent_notice((number,), to=recipient(f"provider:p{number}", name=f"Provider {number}"))
    staff(client, "ana")
    first = client.get("/en/console/notices/?recipient=Provider").content.decode()
    assert "27 notices, newest first" in first and first.count('href="/en/console/notices/SN-') == 25
    assert 'href="?recipient=Provider&amp;page=2" rel="next"' in first and "Page 1 of 2" in first
    second = client.get("/en/console/notices/?recipient=Provider&page=2").content.decode()
    assert second.count('href="/en/console/notices/SN-') == 2


def test_the_french_page(client: Client) -> None:
    sent_notice()
    staff(client, "ana")
    text = client.get("/fr/console/notices/").content.decode()
    assert '<nav class="console" aria-label="Console">' in text and ">Signalements</a>" in text
    assert ">Transmissions</a>" in text and ">Statistiques</a>" not in text  # an analyst has no stats:view
    assert '<html lang="fr">' in text and "réponse attend un analyste" in text and "Filtrer" in text and "Pays d\u2019hébergement" in text


def test_who_may_open_the_notices(client: Client) -> None:
    notice = sent_notice()
    answer = client.get("/en/console/notices/")
    assert answer.status_code == 302 and answer["Location"].startswith("/en/accounts/login/")
    user = staff(client, "nobody")
    Profile.objects.filter(user=user).delete()  # no role: no permission at all
    for address in ("/en/console/notices/", "/en/console/notices/waiting/", f"/en/console/notices/{notice.reference}/"):
        refused = client.get(address)
        assert refused.status_code == 403 and b"files.example.net" not in refused.content
