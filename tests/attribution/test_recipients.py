"""What notices consume (recipients_for), the URLs of matched sightings, and closing flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from attribution_support import SandboxInternet

from sentinelle.attribution.chain import Recipient, Role
from sentinelle.attribution.exceptions import AttributionError
from sentinelle.attribution.models import Attribution, AttributionFlag
from sentinelle.attribution.services import attribute, pending_urls, recipients_for, resolve_flag
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_sighting

pytestmark = pytest.mark.django_db

SEEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_recipients_for_attributes_a_new_url_once_then_reads_the_stored_result(
    sandbox_env: SandboxInternet, attributor: Any
) -> None:
    provider = sandbox_env.provider(style="linked")
    url = sandbox_env.site_url(provider, "/list/1.html")
    assert recipients_for(url) == []  # never attributed, and no attributor to do it
    (recipient,) = recipients_for(url, attributor=attributor)
    assert recipient == Recipient(role=Role.HOSTING, name=recipient.name, email=provider["abuse_email"],
                                  webhook_url=None, language=provider["language"], provider="",
                                  source="rdap-abuse")
    attributed = Attribution.objects.get().attributed
    assert recipients_for(url, attributor=attributor) == [recipient]
    assert Attribution.objects.get().attributed == attributed  # read, not attributed again
    recipients_for(url, attributor=attributor, max_age=timedelta(0))
    assert Attribution.objects.get().attributed > attributed  # too old: attributed again
    host = url.split("//")[1].split(":")[0]
    assert recipients_for(url.replace(host, host.upper())) == [recipient]  # the same URL, normalised


def test_the_urls_of_matched_sightings_are_pending_until_attributed(
    sandbox_env: SandboxInternet, attributor: Any
) -> None:
    provider = sandbox_env.provider(style="embedded")
    page = sandbox_env.site_url(provider, "/img-src/relative.html")
    media = sandbox_env.site_url(provider, "/media/0000.jpg")
    seen = SeenMedia(sha256="a" * 64, md5="b" * 32, sha1="c" * 40, size=10, mime="image/jpeg")
    match = FoundMatch("benign-list", "md5", "b" * 32, 0, True)
    record_sighting(seen, url=media, page_url=page, seen_at=SEEN, ip="127.64.1.10", matches=[match])
    other = sandbox_env.site_url(provider, "/media/unmatched.jpg")
    record_sighting(SeenMedia(sha256="d" * 64, md5="e" * 32, sha1="f" * 40, size=1, mime="image/png"),
                    url=other, page_url=page, seen_at=SEEN)
    assert list(pending_urls()) == [(media, "127.64.1.10"), (page, None)]
    for url, address in pending_urls():
        attribute(url, attributor=attributor, address=address)
    assert list(pending_urls()) == []
    stored = Attribution.objects.get(url=media)
    assert stored.chain["addresses"]["source"] == "the address the crawler connected to"


def test_an_analyst_closes_a_flag_with_a_resolution_audited(sandbox_env: SandboxInternet, attributor: Any) -> None:
    row, _ = attribute(sandbox_env.site_url(sandbox_env.provider(style="none")), attributor=attributor)
    flag = AttributionFlag.objects.get(url_key=row.url_key)
    analyst = Actor.user("analyst-1")
    with pytest.raises(AttributionError, match="needs a resolution"):
        resolve_flag(flag.pk, actor=analyst, resolution=" ")
    resolve_flag(flag.pk, actor=analyst, resolution="phoned the NOC: they forward to abuse")
    flag.refresh_from_db()
    assert (flag.open, flag.resolved_by) == (False, "analyst-1")
    (event,) = AuditEvent.objects.filter(action="attribution:flag-resolve")
    assert event.after["resolution"] == "phoned the NOC: they forward to abuse"
    with pytest.raises(AttributionError, match="no open attribution flag"):
        resolve_flag(flag.pk, actor=analyst, resolution="again")
    attribute(row.url, attributor=attributor)  # still no abuse contact: a new flag, the old one kept
    assert AttributionFlag.objects.filter(url_key=row.url_key).count() == 2
    assert AttributionFlag.objects.filter(url_key=row.url_key, open=True).count() == 1
