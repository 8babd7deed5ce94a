"""The do-not-act list: normalised entries, audited changes, URL and host checks."""

from __future__ import annotations

import pytest

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.donotact import services
from sentinelle.donotact.exceptions import InvalidDoNotAct, UnknownDoNotAct

pytestmark = pytest.mark.django_db
ANA = Actor.user("ana")


def test_hash_entries_are_normalised_and_block() -> None:
    services.add("hash", "D41D8CD98F00B204E9800998ECF8427E", hash_type="md5", reason="false positive", actor=ANA)
    assert services.blocks_hash("md5", "d41d8cd98f00b204e9800998ecf8427e")
    assert not services.blocks_hash("sha1", "d41d8cd98f00b204e9800998ecf8427e")


def test_url_and_host_entries_block_urls_and_subdomains() -> None:
    services.add("url", "HTTP://Example.TEST/page?x=1#frag", reason="court order", actor=ANA)
    services.add("host", "museum.example", reason="public archive", actor=ANA)
    assert services.blocks_url("http://example.test/page?x=1")
    assert not services.blocks_url("http://example.test/page?x=2")
    assert services.blocks_url("https://cdn.museum.example/a.jpg")
    assert not services.blocks_url("https://notmuseum.example/a.jpg")


def test_changes_are_audited_and_errors_are_clear() -> None:
    entry = services.add("host", "a.example", reason="why", actor=ANA)
    with pytest.raises(InvalidDoNotAct, match="already"):
        services.add("host", "A.example.", reason="again", actor=ANA)
    with pytest.raises(InvalidDoNotAct, match="reason"):
        services.add("host", "b.example", reason=" ", actor=ANA)
    with pytest.raises(InvalidDoNotAct):
        services.add("url", "ftp://x.example/", reason="r", actor=ANA)
    with pytest.raises(InvalidDoNotAct):
        services.add("hash", "abc", hash_type="pdq", reason="r", actor=ANA)
    services.remove(entry.pk, actor=ANA, reason="lifted")
    with pytest.raises(UnknownDoNotAct):
        services.remove(entry.pk, actor=ANA)
    events = list(AuditEvent.objects.values_list("action", "before", "after"))
    assert [e[0] for e in events] == ["donotact:add", "donotact:remove"]
    assert events[1][1]["value"] == "a.example"  # type: ignore[index]
