"""``sentinelle stats``' figures, checked against data seeded here (numpy gives the expected
percentiles): crawl counts, matches, messages by kind, removals and time to removal overall,
per provider and per country, within a period."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from notices_support import digest, item, recipient
from rechecks_support import START

from sentinelle import clock as clocks
from sentinelle.attribution.models import Attribution
from sentinelle.audit.services import Actor
from sentinelle.cli.stats_command import duration, moment
from sentinelle.notices.models import ItemStatus, Kind, Notice, NoticeItem, Status
from sentinelle.notices.outbox import deliver
from sentinelle.notices.services import add_items, request_send
from sentinelle.notices.stats import compute, percentile
from sentinelle.sightings.observations import FoundMatch, SeenMedia
from sentinelle.sightings.services import record_sighting

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
PERIOD = (START, START + 10 * DAY)


def _send(clock: clocks.ManualClock, who: Any, seeds: list[int], *, at: Any, operator: Actor) -> Notice:
    clock.set(at)
    notice = add_items(who, [item(s, host=f"host-{s % 3}.example") for s in seeds], actor=Actor.system("seed"),
                       now=at).notice
    assert notice is not None
    request_send(str(notice.reference), actor=operator)
    assert deliver(notice.pk, worker="seed") == "sent"
    return Notice.objects.get(pk=notice.pk)


def _close(notice: Notice, rng: random.Random, outcomes: dict[str, list[Any]]) -> None:
    """Give each item of ``notice`` an outcome, as rechecks would have, and note it."""
    for one in notice.items.order_by("id"):
        fate = rng.choice(["removed", "removed", "open", "escalated", "flagged", "retracted"])
        if fate == "removed":
            taken = timedelta(seconds=rng.randint(600, 9 * 86400))
            one.status, one.removed_at, one.time_to_removal = ItemStatus.REMOVED, notice.sent_at + taken, taken
        elif fate in ("escalated", "flagged"):
            one.escalated_at = notice.sent_at + 3 * DAY
            one.analyst_flag = "law-enforcement" if fate == "flagged" else ""
        elif fate == "retracted":
            one.status = ItemStatus.RETRACTED
        one.save()
        outcomes[notice.recipient_provider or notice.recipient_name].append((one.url_key, one.sha256, fate, one))


def _expected(rows: list[tuple[str, str, str, Any]]) -> dict[str, Any]:
    kept = [r for r in rows if r[2] != "retracted"]
    seconds = [r[3].time_to_removal.total_seconds() for r in kept if r[2] == "removed"]
    return {
        "noticed": len(kept), "removed": sum(r[2] == "removed" for r in kept),
        "open": sum(r[2] != "removed" for r in kept), "escalated": sum(r[2] in ("escalated", "flagged") for r in kept),
        "flagged": sum(r[2] == "flagged" for r in kept),
        "median_seconds": float(np.percentile(seconds, 50)) if seconds else None,
        "p90_seconds": float(np.percentile(seconds, 90)) if seconds else None,
    }


def _approx(value: dict[str, Any]) -> dict[str, Any]:
    return {k: pytest.approx(v) if isinstance(v, float) else v for k, v in value.items()}


def test_the_figures_match_the_seeded_data(clock: clocks.ManualClock, operator: Actor) -> None:
    rng = random.Random(7)
    inside, before = START + DAY, START - 3 * DAY
    for number in range(12):  # sightings: 9 in the period (6 matched), 3 before it
        seen = SeenMedia(sha256=digest("sha256", number), md5=digest("md5", number), sha1=digest("sha1", number),
                         size=10, mime="image/jpeg")
        matches = [FoundMatch("known", "md5", digest("md5", number), 0, True)] if number % 3 else []
        old = number >= 9
        record_sighting(seen, url=f"http://site.example/m/{number}.jpg",
                        page_url=f"http://site.example/{'old' if old else 'p'}{number % 4}",
                        seen_at=before if old else inside + timedelta(minutes=number), matches=matches)
    alpha = recipient("hosting:alpha", email="abuse@alpha.example")
    rdap = replace(recipient("hosting:abuse@desk.example", email="abuse@desk.example"), provider="",
                   name="RDAP Desk")
    registrar = replace(rdap, key="registrar:reg", name="Registrar", email="abuse@reg.example")
    outcomes: dict[str, list[Any]] = {"example-host": [], "RDAP Desk": []}
    a = _send(clock, alpha, list(range(1, 21)), at=inside, operator=operator)
    b = _send(clock, rdap, list(range(21, 35)), at=inside + DAY, operator=operator)
    _send(clock, alpha, list(range(40, 45)), at=before, operator=operator)  # outside the period
    for notice in (a, b):
        _close(notice, rng, outcomes)
    # The registrar was told about some of the same URLs (same file): they count once overall.
    c = _send(clock, registrar, list(range(1, 6)), at=inside + DAY, operator=operator)
    for one in c.items.all():
        taken = timedelta(hours=rng.randint(1, 30))
        NoticeItem.objects.filter(pk=one.pk).update(status=ItemStatus.REMOVED, time_to_removal=taken,
                                                     removed_at=c.sent_at + taken)
    for number, kind in enumerate((Kind.REMINDER, Kind.REMINDER, Kind.ESCALATION)):
        Notice.objects.create(kind=kind, follows=a, message_id=f"<f{number}@x>", recipient_key="k", recipient_name="n",
                              window_start=inside, window_end=inside, status=Status.SENT, email_state="sent",
                              webhook_state="none", due_at=inside, sent_at=inside + 2 * DAY)
    countries = {}
    for notice in (a, b, c):
        for one in notice.items.all():
            country = ["BE", "FR", ""][int(one.host.split("-")[1].split(".")[0])]
            countries[one.url_key] = country
            if country:
                Attribution.objects.get_or_create(url_key=one.url_key, defaults={
                    "url": one.url, "host": one.host, "country": country, "status": "ok", "chain": {},
                    "attributed": inside})

    figures = compute(since=PERIOD[0], until=PERIOD[1])
    assert figures["crawl"] == {"pages": 4, "images": 9, "sightings": 9}
    assert figures["matches"]["sightings"] == 6 and figures["matches"]["files"] == 6
    assert figures["notices"] == {"sent": 3, "reminders": 2, "escalations": 1, "retractions": 0, "failed": 0}

    registrar_rows = [(i.url_key, i.sha256, "removed", NoticeItem.objects.get(pk=i.pk)) for i in c.items.all()]
    by_provider = {"example-host": outcomes["example-host"], "RDAP Desk": outcomes["RDAP Desk"],
                   "example-host-registrar": registrar_rows}
    providers = {row.pop("provider"): row for row in figures["providers"]}
    assert set(providers) == {"example-host", "RDAP Desk", "Registrar"}
    assert providers["example-host"] == _approx(_expected(by_provider["example-host"]))
    assert providers["RDAP Desk"] == _approx(_expected(by_provider["RDAP Desk"]))
    assert providers["Registrar"] == _approx(_expected(registrar_rows))

    # Overall: each URL and file once, removed when any recipient's item is, at its earliest.
    pairs: dict[tuple[str, str], list[Any]] = {}
    for rows in by_provider.values():
        for key, sha, fate, one in rows:
            if fate == "retracted":
                continue
            held = pairs.setdefault((key, sha), [fate, one.time_to_removal if fate == "removed" else None])
            if fate == "removed" and (held[1] is None or one.time_to_removal < held[1]):
                held[0], held[1] = "removed", one.time_to_removal
            elif fate in ("escalated", "flagged") and held[0] != "removed":
                held[0] = fate
    seconds = [t.total_seconds() for fate, t in pairs.values() if fate == "removed"]
    overall = figures["removal"]
    assert overall["noticed"] == len(pairs) < sum(len(r) for r in by_provider.values())
    assert overall["removed"] == len(seconds)
    assert overall["median_seconds"] == pytest.approx(float(np.percentile(seconds, 50)))
    assert overall["p90_seconds"] == pytest.approx(float(np.percentile(seconds, 90)))

    per_country = {row.pop("country"): row for row in figures["countries"]}
    every = [r for rows in by_provider.values() for r in rows]
    for country, label in (("BE", "BE"), ("FR", "FR"), ("", "unknown")):
        assert per_country[label] == _approx(_expected([r for r in every if countries[r[0]] == country]))

    everything = compute()
    assert everything["removal"]["noticed"] == overall["noticed"] + 5  # the notice sent before the period
    assert everything["crawl"]["sightings"] == 12


def test_percentiles_and_durations() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0, 10.0]
    for q in (0.0, 0.5, 0.9, 1.0):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q * 100)))
    assert percentile([], 0.5) is None and percentile([7.0], 0.9) == 7.0
    assert [duration(s) for s in (None, 9, 250, 7500, 200000)] == ["-", "9 s", "4 min 10 s", "2 h 05 min", "2 d 7 h"]
    assert moment("2026-03-02") == START - timedelta(hours=9)
    assert moment("2026-03-02T10:00:00+01:00") == START
    with pytest.raises(ValueError):
        moment("yesterday")
