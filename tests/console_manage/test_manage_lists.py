"""The hash-list pages through HTTP: analysts view, supervisors change; every form goes through
the audited services; a bad file or hash changes nothing; verifying needs a confirm step."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from manage_support import HOSTILE, MD5, MD5_B, actions_after, last_seq, refused, text

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.banks.models import KnownHash, ListChange, StoredList
from sentinelle.banks.services import create_list
from sentinelle.console import lists_forms
from support.console_login import staff

pytestmark = pytest.mark.django_db
CSV = f"signal_type,hash,category,note\nmd5,{MD5},csam,first\nmd5,{MD5_B},,second\n".encode()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_an_analyst_sees_the_lists_but_cannot_change_them(client: Client) -> None:
    create_list("partner", actor=Actor.user("root"), category="csam")
    staff(client, "ana")
    page = text(client, "/en/console/lists/")
    assert 'href="/en/console/lists/partner/"' in page and "Create the list" not in page
    assert "Verify the list" not in text(client, "/en/console/lists/partner/")
    before = last_seq()
    assert client.post("/en/console/lists/create/", {"name": "mine"}).status_code == 403
    assert client.post("/en/console/lists/partner/flag/verify/", {"confirm": "yes"}).status_code == 403
    assert client.post("/en/console/lists/partner/hashes/add/", {"signal_type": "md5", "hash": MD5}).status_code == 403
    assert not StoredList.objects.get(name="partner").verified and StoredList.objects.count() == 1
    assert last_seq() == before


def test_a_supervisor_creates_a_list_and_imports_a_file(client: Client) -> None:
    staff(client, "sam", "supervisor")
    before = last_seq()
    answer = client.post("/en/console/lists/create/", {"name": "partner", "category": "csam", "source": "ngo"})
    assert answer.status_code == 302 and answer["Location"] == "/en/console/lists/partner/?done=created"
    answer = client.post("/en/console/lists/import/", {"name": "partner", "file": upload("p.csv", CSV)})
    assert answer.status_code == 302
    assert set(KnownHash.objects.values_list("hash", flat=True)) == {MD5, MD5_B}
    assert actions_after(before) == [AuditAction.LISTS_CREATE, AuditAction.LISTS_IMPORT]
    event = AuditEvent.objects.get(action=AuditAction.LISTS_IMPORT)
    assert event.actor == "sam" and event.target_id == "partner"
    assert event.details["added"] == 2 and event.details["via"] == "console" and event.details["file"] == "p.csv"
    page = text(client, "/en/console/lists/partner/?done=imported")
    assert "The file was imported." in page and 'id="hash-count">2' in page
    assert page.count("<td>add</td>") == 2
    found = text(client, f"/en/console/lists/partner/?q={MD5.upper()}")
    assert 'id="found"' in found and "first" in found
    assert 'id="not-found"' in text(client, f"/en/console/lists/partner/?q={'9' * 32}")


def test_a_plain_text_file_into_a_new_list_needs_its_signal_type(client: Client) -> None:
    staff(client, "sam", "supervisor")
    plain = f"{MD5}\n{MD5_B}\n".encode()
    page = refused(client.post("/en/console/lists/import/", {"name": "plain", "file": upload("h.txt", plain)}))
    assert "signal type" in page and not StoredList.objects.exists()
    page = refused(client.post("/en/console/lists/import/",
                               {"name": "a/b", "file": upload("h.txt", plain), "signal_type": "md5"}))
    assert "no slash" in page and not StoredList.objects.exists()
    answer = client.post("/en/console/lists/import/",
                         {"name": "plain", "file": upload("h.txt", plain), "signal_type": "md5"})
    assert answer.status_code == 302 and KnownHash.objects.filter(list__name="plain").count() == 2
    assert not StoredList.objects.get(name="plain").verified


def test_a_malformed_file_is_refused_whole_and_changes_nothing(client: Client) -> None:
    create_list("partner", actor=Actor.user("root"))
    staff(client, "sam", "supervisor")
    before = last_seq()
    bad = f"signal_type,hash\nmd5,{MD5}\nmd5,not-a-hash\nsha1,{HOSTILE}\n".encode()
    page = refused(client.post("/en/console/lists/import/", {"name": "partner", "file": upload("bad.csv", bad)}))
    assert "line 3" in page and "line 4" in page and "nothing imported" in page and "<script>" not in page
    assert not KnownHash.objects.exists() and not ListChange.objects.exists() and last_seq() == before


def test_a_file_over_the_size_limit_is_refused(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lists_forms, "MAX_UPLOAD_BYTES", 10)
    staff(client, "sam", "supervisor")
    page = refused(client.post("/en/console/lists/import/", {"name": "big", "file": upload("b.csv", CSV)}))
    assert "larger than" in page and not StoredList.objects.exists()


def test_replacing_needs_the_confirmation(client: Client) -> None:
    staff(client, "sam", "supervisor")
    client.post("/en/console/lists/import/", {"name": "partner", "file": upload("p.csv", CSV)})
    only_one = f"signal_type,hash\nmd5,{MD5}\n".encode()
    page = refused(client.post("/en/console/lists/import/",
                               {"name": "partner", "file": upload("p.csv", only_one), "replace": "on"}))
    assert "tick the confirmation" in page and KnownHash.objects.count() == 2
    client.post("/en/console/lists/import/", {"name": "partner", "file": upload("p.csv", only_one),
                                              "replace": "on", "confirm_replace": "on"})
    assert list(KnownHash.objects.values_list("hash", flat=True)) == [MD5]
    assert AuditEvent.objects.filter(action=AuditAction.LISTS_IMPORT).last().details["removed"] == 1


def test_verifying_has_a_confirm_step_and_says_what_it_does(client: Client) -> None:
    create_list("partner", actor=Actor.user("root"))
    staff(client, "sam", "supervisor")
    answer = client.post("/en/console/lists/partner/flag/verify/")
    assert answer.status_code == 302 and answer["Location"] == "/en/console/lists/partner/verify/"
    assert not StoredList.objects.get(name="partner").verified
    confirm = text(client, "/en/console/lists/partner/verify/")
    assert "automatic notice" in confirm and 'name="confirm" value="yes"' in confirm
    before = last_seq()
    assert client.post("/en/console/lists/partner/flag/verify/", {"confirm": "yes"}).status_code == 302
    assert StoredList.objects.get(name="partner").verified
    client.post("/en/console/lists/partner/flag/disable/")
    assert not StoredList.objects.get(name="partner").enabled
    client.post("/en/console/lists/partner/flag/enable/")
    client.post("/en/console/lists/partner/flag/unverify/")
    assert actions_after(before) == [AuditAction.LISTS_VERIFY, AuditAction.LISTS_DISABLE,
                                     AuditAction.LISTS_ENABLE, AuditAction.LISTS_UNVERIFY]
    event = AuditEvent.objects.get(action=AuditAction.LISTS_VERIFY)
    assert event.before["verified"] is False and event.after["verified"] is True


def test_category_and_single_hashes(client: Client) -> None:
    create_list("partner", actor=Actor.user("root"))
    staff(client, "sam", "supervisor")
    before = last_seq()
    assert "not a valid label" in refused(client.post("/en/console/lists/partner/category/", {"category": "Bad Label"}))
    assert StoredList.objects.get(name="partner").category == ""
    client.post("/en/console/lists/partner/category/", {"category": "harmful-abusive"})
    assert StoredList.objects.get(name="partner").category == "harmful-abusive"
    page = refused(client.post("/en/console/lists/partner/hashes/add/", {"signal_type": "md5", "hash": "xyz"}))
    assert "32 hex digits" in page and not KnownHash.objects.exists()
    client.post("/en/console/lists/partner/hashes/add/", {"signal_type": "md5", "hash": MD5.upper(), "note": HOSTILE})
    assert KnownHash.objects.get().hash == MD5
    refused(client.post("/en/console/lists/partner/hashes/add/", {"signal_type": "md5", "hash": MD5}))
    page = text(client, f"/en/console/lists/partner/?q={MD5}")
    assert "<script>" not in page and "&lt;script&gt;" in page
    refused(client.post("/en/console/lists/partner/hashes/remove/", {"signal_type": "md5", "hash": MD5_B}))
    client.post("/en/console/lists/partner/hashes/remove/", {"signal_type": "md5", "hash": MD5, "reason": "wrong"})
    assert not KnownHash.objects.exists()
    assert list(ListChange.objects.values_list("op", flat=True)) == ["add", "remove"]
    assert actions_after(before) == [AuditAction.LISTS_EDIT, AuditAction.HASHES_ADD, AuditAction.HASHES_REMOVE]
    removed = AuditEvent.objects.get(action=AuditAction.HASHES_REMOVE)
    assert removed.before["hash"] == MD5 and removed.details == {"reason": "wrong"}


def test_forms_need_the_csrf_token() -> None:
    create_list("partner", actor=Actor.user("root"))
    client = Client(enforce_csrf_checks=True)
    staff(client, "sam", "supervisor")
    assert client.post("/en/console/lists/partner/flag/disable/").status_code == 403
    assert StoredList.objects.get(name="partner").enabled
    token = str(client.get("/en/console/lists/partner/").context["csrf_token"])
    client.post("/en/console/lists/partner/flag/disable/", {"csrfmiddlewaretoken": token})
    assert not StoredList.objects.get(name="partner").enabled


def test_hostile_names_are_escaped_and_the_pages_speak_french(client: Client) -> None:
    create_list("evil<b>x", actor=Actor.user("root"), source=HOSTILE)
    create_list("made/by the cli", actor=Actor.user("root"))  # no console address holds it
    staff(client, "sam", "supervisor")
    assert "<td>made/by the cli</td>" in text(client, "/en/console/lists/")
    page = text(client, "/en/console/lists/evil%3Cb%3Ex/")
    assert "<script>" not in page and "evil&lt;b&gt;x" in page
    french = text(client, "/fr/console/lists/")
    assert "Listes d\u2019empreintes" in french and "Créer la liste" in french
    assert "notification automatique" in text(client, "/fr/console/lists/evil%3Cb%3Ex/verify/")
