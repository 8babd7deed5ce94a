"""What can go wrong on the statistics pages."""

from __future__ import annotations

from sentinelle.exceptions import SentinelleError


class StatisticsError(SentinelleError):
    """Root of the statistics pages' errors."""


class BadPeriod(StatisticsError):
    """``since``/``until``/``year`` are not dates, or the period is empty or reversed."""
