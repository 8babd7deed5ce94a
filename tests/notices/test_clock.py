"""The clock the scheduled work reads: the system's, one moved by hand, an accelerated one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sentinelle import clock as clocks

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_manual_clock_moves_only_when_told() -> None:
    manual = clocks.ManualClock(T0)
    assert manual.now() == manual.now() == T0
    assert manual.advance(timedelta(hours=25)) == manual.now() == T0 + timedelta(hours=25)
    manual.set(T0)
    assert manual.now() == T0
    with pytest.raises(ValueError, match="aware"):
        manual.set(datetime(2026, 3, 2))


def test_an_accelerated_clock_runs_factor_times_faster() -> None:
    seconds = [100.0]
    fast = clocks.AcceleratedClock(3600, start=T0, real=lambda: seconds[0])
    assert fast.now() == T0
    seconds[0] += 1.5
    assert fast.now() == T0 + timedelta(hours=1, minutes=30)
    with pytest.raises(ValueError, match="above 0"):
        clocks.AcceleratedClock(0)


def test_a_clock_installed_for_a_block_is_the_current_one_then_the_previous_one() -> None:
    before = clocks.current()
    assert isinstance(before, clocks.SystemClock)
    assert abs(before.now() - datetime.now(UTC)) < timedelta(seconds=5)
    with clocks.using(clocks.ManualClock(T0)) as manual:
        assert clocks.current() is manual and clocks.current().now() == T0
    assert clocks.current() is before
