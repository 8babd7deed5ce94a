"""Review time: a look runs from opening an item to the verdict or the next review page, is
capped, and an abandoned look counts for the cap; totals per analyst and day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from classification_support import START, kept_item

from sentinelle.classification import exposure
from sentinelle.classification.models import Exposure

pytestmark = pytest.mark.django_db


def test_looks_are_capped_and_an_abandoned_one_counts_for_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_REVIEW_EXPOSURE_CAP_SECONDS", "120")
    first, second = kept_item(41), kept_item(42)
    exposure.start(first, "ana", START)
    assert exposure.start(first, "ana", START + timedelta(seconds=5)).started_at == START  # a reload
    exposure.start(second, "ana", START + timedelta(seconds=45))  # ends the first look: 45 s
    exposure.start(first, "bob", START)
    exposure.end("bob", START + timedelta(minutes=30))  # capped: 120 s
    later = START + timedelta(hours=1)  # ana's second look was never ended: the cap
    totals = exposure.daily(later, 1)
    day = START.date()
    assert totals[("ana", day)] == {"seconds": 45 + 120, "items": 2, "revealed": 0}
    assert totals[("bob", day)] == {"seconds": 120, "items": 1, "revealed": 0}
    assert exposure.today("ana", later) == 165
    assert Exposure.objects.filter(analyst="ana", ended_at__isnull=True).count() == 1


def test_a_reveal_marks_the_current_look() -> None:
    media = kept_item(43)
    exposure.start(media, "ana", START)
    exposure.mark_revealed(media, "ana", START + timedelta(seconds=3))
    assert exposure.daily(START + timedelta(seconds=10), 1)[("ana", START.date())]["revealed"] == 1
