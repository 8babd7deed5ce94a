"""The notice settings, read from the environment when used (see docs/settings.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from typing import Final

from sentinelle.config import ConfigurationError, integer, setting

CATEGORIES: Final = ("csam", "harmful-abusive")
CLASSIFICATIONS: Final = ("baseline", "A1", "A2", "B1", "B2")


@dataclass(frozen=True)
class Sender:
    """Who notices come from: the organisation, its address and the domain of Message-IDs."""

    org: str
    address: str

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]


def sender() -> Sender:
    name, address = parseaddr(setting("SENTINELLE_NOTICE_FROM") or "")
    if "@" not in address or address.startswith("@") or address.endswith("@"):
        raise ConfigurationError(
            f"SENTINELLE_NOTICE_FROM must be an email address, got {setting('SENTINELLE_NOTICE_FROM')!r}"
        )
    org = (setting("SENTINELLE_NOTICE_ORG") or "").strip() or name or address
    return Sender(org=org, address=address)


def window() -> timedelta:
    return timedelta(minutes=integer("SENTINELLE_NOTICE_WINDOW_MINUTES", minimum=1))


def legal_basis(category: str) -> str:
    name = {"csam": "SENTINELLE_LEGAL_BASIS_CSAM", "harmful-abusive": "SENTINELLE_LEGAL_BASIS_HARMFUL"}
    return (setting(name[category]) or "").strip()


def xarf_classification() -> str:
    value = (setting("SENTINELLE_XARF_CSAM_CLASSIFICATION") or "").strip()
    if value not in CLASSIFICATIONS:
        raise ConfigurationError(
            f"SENTINELLE_XARF_CSAM_CLASSIFICATION must be one of {', '.join(CLASSIFICATIONS)}, got {value!r}"
        )
    return value


def send_timeout() -> float:
    return float(integer("SENTINELLE_NOTICE_TIMEOUT", minimum=1))


def claim() -> timedelta:
    """How long a delivery claim holds before another worker may send the notice again."""
    return timedelta(seconds=integer("SENTINELLE_NOTICE_CLAIM_SECONDS", minimum=1))


@dataclass(frozen=True)
class RetryPolicy:
    base: timedelta
    cap: timedelta
    max_attempts: int

    def delay(self, attempts: int) -> timedelta:
        """The wait after ``attempts`` failed attempts: base, 2 x base, 4 x base... up to cap."""
        steps = max(attempts - 1, 0)
        if steps >= 40:
            return self.cap
        return min(self.base * (1 << steps), self.cap)


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        base=timedelta(seconds=integer("SENTINELLE_NOTICE_RETRY_BASE_SECONDS", minimum=1)),
        cap=timedelta(seconds=integer("SENTINELLE_NOTICE_RETRY_CAP_SECONDS", minimum=1)),
        max_attempts=integer("SENTINELLE_NOTICE_MAX_ATTEMPTS", minimum=1),
    )


#: The steps an escalation policy may name, in the order they usually come.
ESCALATION_STEPS: Final = ("upstream", "hotline", "law-enforcement")


def recheck_interval() -> timedelta:
    """Time between two rechecks of an item (``SENTINELLE_RECHECK_HOURS``, fractions allowed)."""
    text = (setting("SENTINELLE_RECHECK_HOURS") or "").strip()
    try:
        hours = float(text)
    except ValueError:
        raise ConfigurationError(f"SENTINELLE_RECHECK_HOURS must be a number of hours, got {text!r}") from None
    if not 0 < hours <= 24 * 365:
        raise ConfigurationError(f"SENTINELLE_RECHECK_HOURS must be above 0 and at most a year, got {text!r}")
    return timedelta(hours=hours)


def inconclusive_retry() -> timedelta:
    """Wait before checking again after an inconclusive recheck: the interval, at most an hour."""
    return min(recheck_interval(), timedelta(hours=1))


def follow_up_gather() -> timedelta:
    """How long a new reminder or escalation waits for the other items of the same pass."""
    return min(timedelta(seconds=60), recheck_interval() / 10)


def escalate_after() -> int:
    """Reminders sent before an item escalates (``SENTINELLE_ESCALATE_AFTER``)."""
    return integer("SENTINELLE_ESCALATE_AFTER", minimum=0)


def escalation_policy() -> tuple[str, ...]:
    """The escalation steps, in order (``SENTINELLE_ESCALATION_POLICY``; empty: none)."""
    text = setting("SENTINELLE_ESCALATION_POLICY") or ""
    steps = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    unknown = [step for step in steps if step not in ESCALATION_STEPS]
    if unknown or len(set(steps)) != len(steps):
        raise ConfigurationError(
            f"SENTINELLE_ESCALATION_POLICY is a comma-separated list of {', '.join(ESCALATION_STEPS)} "
            f"(each at most once), got {text!r}"
        )
    return steps


def ladder() -> tuple[str, ...]:
    """What each recheck that finds an item still there does, in turn: the reminders, then
    the escalation steps. After the last one, rechecks go on without a message."""
    return ("reminder",) * escalate_after() + escalation_policy()
