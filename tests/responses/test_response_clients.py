"""What is kept about who answered: a hash under a key that lives two days, never the address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from responses_support import T0, sent_notice

from sentinelle.forwarded import client_address
from sentinelle.responses.clients import client_hash
from sentinelle.responses.models import ClientKey, NoticeResponse
from sentinelle.responses.services import record_response
from sentinelle.responses.validation import ResponseInput


def test_the_address_is_the_peer_unless_a_trusted_proxy_forwarded_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert client_address({"REMOTE_ADDR": "203.0.113.9"}) == "203.0.113.9"
    forwarded = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.77"}
    monkeypatch.setenv("SENTINELLE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    assert client_address(forwarded) == "203.0.113.77"  # the proxy's own entry, not the client's claim
    assert client_address({**forwarded, "REMOTE_ADDR": "192.0.2.50"}) == "192.0.2.50"  # not a trusted proxy
    assert client_address({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "<script>"}) == ""
    assert client_address({}) == ""


@pytest.mark.django_db
def test_hashes_match_within_a_day_and_old_keys_are_deleted() -> None:
    today = client_hash("203.0.113.9", T0)
    assert len(today) == 64 and "203.0.113.9" not in today
    assert client_hash("203.0.113.9", T0 + timedelta(hours=5)) == today
    assert client_hash("203.0.113.10", T0) != today
    assert client_hash("203.0.113.9", T0 + timedelta(days=1)) != today
    assert client_hash("", T0) == ""
    client_hash("203.0.113.9", T0 + timedelta(days=3))
    assert sorted(str(d) for d in ClientKey.objects.values_list("day", flat=True)) == [
        "2026-01-06", "2026-01-08"]


@pytest.mark.django_db
def test_no_raw_address_is_stored_with_an_answer() -> None:
    notice = sent_notice()
    record_response(str(notice.reference), ResponseInput(
        kind="question", submission_key="key-00000001", text="Hello", client_address="203.0.113.9"), now=T0)
    stored = NoticeResponse.objects.values().get()
    assert "203.0.113.9" not in str(stored)
    assert stored["client_hash"] == client_hash("203.0.113.9", T0)
