"""From matches to notice items: only confirmed matches against verified lists, never the
do-not-act list, one notice per recipient (attributed against the sandbox's registries),
nothing twice, and nothing dropped while nobody can be found to tell."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rechecks_support import START, SandboxWorld, sight, store_known_list

from sentinelle import clock as clocks
from sentinelle.attribution.models import Attribution, AttributionFlag
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.banks.models import KnownHash
from sentinelle.banks.services import set_flag
from sentinelle.crawl.normalize import normalize_url
from sentinelle.donotact.services import add as add_donotact
from sentinelle.notices import wiring
from sentinelle.notices.from_matches import pending, run
from sentinelle.notices.models import IntakeState, ItemMatch, Notice, NoticeItem, SightingIntake
from sentinelle.notices.scheduling import DueMatches
from sentinelle.sightings.models import Match
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_sighting

pytestmark = pytest.mark.django_db


def _pass(system: Actor, clock: clocks.ManualClock) -> Any:
    return run(attributor=wiring.current().attributor(), actor=system, now=clock.now())


def _url(value: str) -> str:
    return normalize_url(value).url


def test_confirmed_matches_on_a_verified_list_go_on_one_notice_per_recipient_once(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, system: Actor
) -> None:
    store_known_list(sandbox_env, name="known")
    first, second = sandbox_env.provider(0), sandbox_env.provider(1)
    urls = {0: sandbox_env.media_urls(first)[:2], 1: sandbox_env.media_urls(second)[:1]}
    resolver = sandbox_env.sandbox.resolver
    sightings = [sight(url, resolver, seen_at=START) for url in urls[0] + urls[1]]
    assert all(s.matches.filter(confirmed_reference=True).exists() for s in sightings)

    report = _pass(system, clock)
    assert report.as_dict() == {"examined": 3, "states": {"noticed": 3}, "items_added": 3}
    notices = {n.recipient_email: n for n in Notice.objects.filter(kind="notice")}
    assert set(notices) == {first["abuse_email"], second["abuse_email"]}
    for provider, provider_urls in ((first, urls[0]), (second, urls[1])):
        notice = notices[provider["abuse_email"]]
        assert notice.recipient_language == provider["language"]
        assert notice.recipient_role == "hosting" and notice.status == "draft"
        assert sorted(i.url for i in notice.items.all()) == sorted(_url(u) for u in provider_urls)
    for sighting in sightings:
        item = NoticeItem.objects.get(sighting=sighting)
        assert item.sha256 == sighting.media.sha256 and item.category in ("csam", "harmful-abusive")
        listed = {(m.signal_type, m.hash) for m in Match.objects.filter(sighting=sighting)}
        assert {(m.signal_type, m.hash) for m in ItemMatch.objects.filter(item=item)} == listed
        assert {m.list_name for m in ItemMatch.objects.filter(item=item)} == {"known"}
    assert set(SightingIntake.objects.values_list("state", flat=True)) == {IntakeState.NOTICED}

    audit = AuditEvent.objects.count()
    assert _pass(system, clock).examined == 0  # nothing new: nothing done
    assert NoticeItem.objects.count() == 3 and AuditEvent.objects.count() == audit
    assert DueMatches().enqueue_due(clock.now(), 10) == 0

    # The same file at the same URL seen by a later crawl: noticed already, nothing added.
    clock.advance(timedelta(hours=1))
    sight(urls[0][0], resolver, seen_at=clock.now(), run="run-2")
    assert DueMatches().enqueue_due(clock.now(), 10) == 1
    again = _pass(system, clock)
    assert again.as_dict() == {"examined": 1, "states": {"noticed": 1}, "items_added": 0}
    assert NoticeItem.objects.count() == 3


def test_matches_on_unverified_or_disabled_lists_wait_for_an_analyst(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, system: Actor
) -> None:
    store_known_list(sandbox_env, name="partner", verified=False)
    resolver = sandbox_env.sandbox.resolver
    first, second = sandbox_env.media_urls(sandbox_env.provider(0))[:2]
    waiting = sight(first, resolver, seen_at=START)
    assert _pass(system, clock).as_dict() == {"examined": 1, "states": {"analyst": 1}, "items_added": 0}
    disabled = sight(second, resolver, seen_at=START)  # matched while the list was in use
    set_flag("partner", AuditAction.LISTS_VERIFY, actor=Actor.user("analyst-1"))
    set_flag("partner", AuditAction.LISTS_DISABLE, actor=Actor.user("analyst-1"))
    assert _pass(system, clock).as_dict() == {"examined": 1, "states": {"analyst": 1}, "items_added": 0}
    rows = {row.sighting_id: row for row in pending()}
    assert set(rows) == {waiting.pk, disabled.pk}
    assert rows[waiting.pk].reason == "list partner is not verified"
    assert rows[disabled.pk].reason == "list partner is disabled"
    assert not Notice.objects.exists() and not Attribution.objects.exists()  # nobody was asked
    assert pending(("unattributed",)) == []


def test_a_match_that_did_not_hold_on_the_reference_path_is_skipped(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, system: Actor
) -> None:
    store_known_list(sandbox_env, name="known")
    listed = KnownHash.objects.filter(signal_type="pdq").first()
    assert listed is not None
    seen = SeenMedia(sha256="a" * 64, md5="b" * 32, sha1="c" * 40, size=10, mime="image/jpeg")
    candidate = FoundMatch("known", "pdq", listed.hash, 40, False, category="csam")
    record_sighting(seen, url=sandbox_env.media_urls(sandbox_env.provider(0))[0], seen_at=START,
                    matches=[candidate])
    assert _pass(system, clock).as_dict() == {"examined": 1, "states": {"skipped": 1}, "items_added": 0}
    assert pending() == [] and not Notice.objects.exists()


def test_the_do_not_act_list_wins(sandbox_env: SandboxWorld, clock: clocks.ManualClock, system: Actor,
                                  operator: Actor) -> None:
    store_known_list(sandbox_env, name="known")
    url = sandbox_env.media_urls(sandbox_env.provider(0))[0]
    sight(url, sandbox_env.sandbox.resolver, seen_at=START)
    add_donotact("host", normalize_url(url).host, reason="a partner's test host", actor=operator)
    assert _pass(system, clock).as_dict() == {"examined": 1, "states": {"blocked": 1}, "items_added": 0}
    assert not Notice.objects.exists()


def test_a_url_nobody_can_be_found_for_stays_pending_and_is_noticed_once_attribution_works(
    sandbox_env: SandboxWorld, clock: clocks.ManualClock, system: Actor
) -> None:
    store_known_list(sandbox_env, name="known")
    down = sandbox_env.provider(3)  # its registry (east) starts down
    assert down["rdap_registry"] == "rdap.east.test"
    url = sandbox_env.media_urls(down)[0]
    sighting = sight(url, sandbox_env.sandbox.resolver, seen_at=START)
    assert _pass(system, clock).as_dict() == {"examined": 1, "states": {"unattributed": 1}, "items_added": 0}
    (row,) = pending(("unattributed",))
    assert row.sighting_id == sighting.pk and "rdap-unavailable" in row.reason
    assert row.retry_at == START + timedelta(minutes=5)
    assert AttributionFlag.objects.filter(url_key=normalize_url(url).key, open=True).exists()

    clock.advance(timedelta(minutes=4))
    assert DueMatches().enqueue_due(clock.now(), 10) == 0  # not due yet
    assert _pass(system, clock).examined == 0
    clock.advance(timedelta(minutes=1))
    assert _pass(system, clock).as_dict() == {"examined": 1, "states": {"unattributed": 1}, "items_added": 0}
    row.refresh_from_db()
    assert row.attempts == 2 and row.retry_at == clock.now() + timedelta(minutes=10)  # doubled

    sandbox_env.sandbox.set_rdap_up("rdap.east.test", True)
    clock.set(row.retry_at)
    assert DueMatches().enqueue_due(clock.now(), 10) == 1
    assert DueMatches().enqueue_due(clock.now(), 10) == 0  # one pass at a time
    assert _pass(system, clock).as_dict() == {"examined": 1, "states": {"noticed": 1}, "items_added": 1}
    notice = Notice.objects.get()
    assert notice.recipient_email == down["abuse_email"] and notice.recipient_language == down["language"]
    assert pending() == []


def test_attribution_recipients_become_one_notice_recipient_per_desk() -> None:
    from sentinelle.attribution.chain import Recipient, Role
    from sentinelle.notices.recipients import from_attribution

    found = from_attribution([
        Recipient(Role.HOSTING, "Kestrel Cloud", "abuse@kestrel.test", None, "fr", "kestrel", "directory"),
        Recipient(Role.HOSTING, "Kestrel Cloud", None, "https://kestrel.test/hook", "fr", "kestrel", "directory",
                  "kestrel.hook"),
        Recipient(Role.HOSTING, "Kestrel Cloud", "legal@kestrel.test", None, "fr", "kestrel", "directory"),
        Recipient(Role.HOSTING, "NET-1", "Abuse@Net.test", None, "en", "", "rdap-abuse"),
        Recipient(Role.REGISTRAR, "Registrar", "abuse@reg.test", None, "en", "", "rdap-registrar-abuse"),
        Recipient(Role.HOSTING, "Nobody", None, None, "en", "", "rdap-abuse"),
    ])
    assert [(r.key, r.email, r.webhook_url, r.webhook_secret_ref, r.language, r.role) for r in found] == [
        ("hosting:kestrel", "abuse@kestrel.test", "https://kestrel.test/hook", "kestrel.hook", "fr", "hosting"),
        ("hosting:kestrel:legal@kestrel.test", "legal@kestrel.test", "", "", "fr", "hosting"),
        ("hosting:abuse@net.test", "Abuse@Net.test", "", "", "en", "hosting"),
        ("registrar:abuse@reg.test", "abuse@reg.test", "", "", "en", "registrar"),
    ]
    assert all(r.validated() for r in found)
