"""The demo's scenario: the sandbox world, how its providers behave, and the clock's pace.

Four simulated hosting providers (the sandbox's defaults, in turn): one removes at once and
says so on the response page, one removes a day and a quarter later, one never does, one
disputes. The CDN fronts a site of the second. The RDAP registry of the fourth is down when
the demo starts and comes back a few simulated hours later. Notices go out hourly; every
noticed URL is checked again a simulated day later, and so on: two reminders, then the
upstream network, the country's hotline, and a flag for law enforcement. No Django here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sentinelle.sandbox import PolicyAction, TakedownPolicy, World, build_world


@dataclass(frozen=True)
class DemoPlan:
    seed: int = 7
    images: int = 200
    #: Simulated providers read their mail this long after it arrives.
    reaction: timedelta = timedelta(minutes=30)
    #: The "delayed" provider removes this long after it read the notice.
    delay: timedelta = timedelta(hours=30)
    #: The registry that is down at the start comes back after this.
    registry_back: timedelta = timedelta(hours=3)
    window_minutes: int = 60
    recheck_hours: int = 24
    escalate_after: int = 2
    escalation: str = "upstream,hotline,law-enforcement"
    #: The simulation ends here whatever is still open.
    longest: timedelta = timedelta(days=10)
    #: The clock moves at most this much at once (so progress is shown as it goes).
    step: timedelta = timedelta(hours=1)

    def policies(self) -> tuple[TakedownPolicy, ...]:
        return (
            TakedownPolicy(PolicyAction.IMMEDIATE),
            TakedownPolicy(PolicyAction.DELAYED, self.delay.total_seconds()),
            TakedownPolicy(PolicyAction.NEVER),
            TakedownPolicy(PolicyAction.DISPUTE),
        )

    def world(self) -> World:
        return build_world(self.seed, images=self.images, policies=self.policies())
