"""The do-not-act page through HTTP: supervisors add and remove hashes, URLs and hosts with a
reason (audited); bad values change nothing; analysts cannot open it."""

from __future__ import annotations

import pytest
from django.test import Client
from manage_support import HOSTILE, MD5, actions_after, last_seq, refused, text

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.models import AuditEvent
from sentinelle.donotact.models import DoNotAct
from sentinelle.donotact.services import blocks_hash, blocks_url
from support.console_login import staff

pytestmark = pytest.mark.django_db


def test_an_analyst_cannot_open_or_change_the_list(client: Client) -> None:
    staff(client, "ana")
    assert client.get("/en/console/do-not-act/").status_code == 403
    answer = client.post("/en/console/do-not-act/add/", {"kind": "host", "value": "x.example", "reason": "r"})
    assert answer.status_code == 403 and not DoNotAct.objects.exists()
    assert "/en/console/do-not-act/" not in text(client, "/en/console/")


def test_a_supervisor_adds_and_removes_entries(client: Client) -> None:
    staff(client, "sam", "supervisor")
    before = last_seq()
    answer = client.post("/en/console/do-not-act/add/",
                         {"kind": "hash", "signal_type": "md5", "value": MD5.upper(), "reason": "our own test picture"})
    assert answer.status_code == 302 and answer["Location"] == "/en/console/do-not-act/?done=donotact-added"
    client.post("/en/console/do-not-act/add/",
                {"kind": "url", "value": "HTTPS://Museum.example/Page#top", "reason": HOSTILE})
    client.post("/en/console/do-not-act/add/", {"kind": "host", "value": "Archive.Example.", "reason": "archive"})
    assert blocks_hash("md5", MD5) and blocks_url("https://museum.example/Page")
    assert blocks_url("https://www.archive.example/any")
    page = text(client, "/en/console/do-not-act/?done=donotact-added")
    assert "The entry was added" in page and "https://museum.example/Page" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    entry = DoNotAct.objects.get(kind="host")
    assert client.post(f"/en/console/do-not-act/{entry.pk}/remove/", {"reason": "no longer"}).status_code == 302
    assert not blocks_url("https://www.archive.example/any")
    assert actions_after(before) == [AuditAction.DONOTACT_ADD] * 3 + [AuditAction.DONOTACT_REMOVE]
    removed = AuditEvent.objects.get(action=AuditAction.DONOTACT_REMOVE)
    assert removed.actor == "sam" and removed.before["value"] == "archive.example"
    assert removed.details == {"reason": "no longer"}
    assert client.post(f"/en/console/do-not-act/{entry.pk}/remove/").status_code == 404


@pytest.mark.parametrize(("values", "says"), [
    ({"kind": "hash", "signal_type": "md5", "value": "abc", "reason": "r"}, "md5"),
    ({"kind": "hash", "value": MD5, "reason": "r"}, "signal type"),
    ({"kind": "url", "value": "javascript:alert(1)", "reason": "r"}, "not a usable URL"),
    ({"kind": "host", "value": "a host/with slash", "reason": "r"}, "not a host name"),
    ({"kind": "host", "value": "ok.example", "reason": ""}, "reason"),
])
def test_bad_values_are_refused_and_change_nothing(client: Client, values: dict[str, str], says: str) -> None:
    staff(client, "sam", "supervisor")
    before = last_seq()
    page = refused(client.post("/en/console/do-not-act/add/", values))
    assert says in page and not DoNotAct.objects.exists() and last_seq() == before


def test_a_duplicate_is_refused_and_the_page_speaks_french(client: Client) -> None:
    staff(client, "sam", "supervisor")
    client.post("/en/console/do-not-act/add/", {"kind": "host", "value": "a.example", "reason": "r"})
    assert "already on the do-not-act list" in refused(
        client.post("/en/console/do-not-act/add/", {"kind": "host", "value": "A.example", "reason": "r"}))
    assert DoNotAct.objects.count() == 1
    assert "Liste de non-intervention" in text(client, "/fr/console/do-not-act/")
