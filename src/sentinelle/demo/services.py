"""The demo, assembled in one place: prepare, crawl, simulate, summarise.

Django must be set up with the demo's settings (:class:`~.stage.Stage` applies them) before
this module is imported. :class:`Demo` runs each phase in turn and tells its ``report``
callback what it is doing; :meth:`Demo.stop` (from a signal handler) ends it cleanly at
the next safe point, the database left usable.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from sentinelle import clock as clocks
from sentinelle.demo import crawling, preparation, reports, summary
from sentinelle.demo.exceptions import DemoInterrupted
from sentinelle.demo.folder import mark
from sentinelle.demo.simulation import Happening, Simulation, SimulationReport
from sentinelle.demo.stage import Stage
from sentinelle.notices import wiring
from sentinelle.notices.models import ItemStatus, Kind, Notice, NoticeItem, Status
from sentinelle.notices.stats import compute
from sentinelle.sandbox import RdapState
from sentinelle.sandbox.responders import Responders

#: The registry the sandbox starts with down (docs/sandbox.md).
DOWN_REGISTRY: Final = "rdap.east.test"


@dataclass(frozen=True)
class Event:
    phase: str  #: sandbox, database, serve, lists, reports, crawl, simulation, summary
    text: str
    figures: Mapping[str, Any] = field(default_factory=dict)


Report = Callable[[Event], None]


class Demo:
    def __init__(self, stage: Stage, *, report: Report | None = None) -> None:
        self.stage = stage
        self.report = report or (lambda event: None)
        self._stopping = threading.Event()
        self._simulation: Simulation | None = None
        self.missing: list[str] = []

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def stop(self) -> None:
        """End the demo at the next safe point (safe from a signal handler)."""
        self._stopping.set()
        if self._simulation is not None:
            self._simulation.stop()

    def _check(self) -> None:
        if self._stopping.is_set():
            raise DemoInterrupted("stopped before the demo finished")

    def run(self) -> dict[str, Any]:
        started = time.monotonic()
        stage, sandbox = self.stage, self.stage.sandbox
        self.report(Event("database", f"migrating {stage.folder / 'sentinelle.sqlite3'}"))
        preparation.migrate()
        stage.serve.start()
        self._check()
        self.report(Event("lists", "importing the known list, registering the CDN and the hotlines"))
        prepared = preparation.prepare(sandbox)
        filed = reports.file_reports(sandbox)
        self.report(Event("reports", f"{filed.urls} reports to the tipline", {"references": filed.references}))
        self._check()
        seeds = [*sandbox.start_urls, *sandbox.fronted_urls]
        self.report(Event("crawl", f"crawling {len(seeds)} seeds"))
        crawled = crawling.crawl(seeds, stage.files.hosts, stage.folder / "sightings.jsonl",
                                 on_progress=lambda stats: self.report(Event("crawl", "crawling", stats)))
        self._check()
        self.report(Event("crawl", "crawling the pages reported to the tipline"))
        code = crawling.crawl_queued(stage.files.hosts, stage.folder / "sightings-reported.jsonl",
                                     stage.folder / "demo.log")
        if code != 0:
            self.missing.append(f"the crawl of the reported pages: sentinelle crawl exited with {code} (see demo.log)")
        self._check()
        if not stage.serve.wait():
            self.missing.append(f"sentinelle serve: {stage.serve.problem}")
        responders = Responders(sandbox, stage.sink, clock=stage.seconds,
                                reaction=stage.plan.reaction.total_seconds())
        report = self._simulate(responders)
        figures = compute()
        wanted = [r for r in responders.reactions if r.answer]
        if wanted and not any(r.answered for r in wanted):
            reasons = "; ".join(sorted({r.answer_detail for r in wanted}))
            self.missing.append(f"answers on the response page: none could be given ({reasons})")
        result = {
            "type": "summary", "folder": str(stage.folder), "database": str(stage.folder / "sentinelle.sqlite3"),
            "serve": {"public_url": stage.serve.public_url, "listened": bool(stage.serve.url)},
            "seconds": round(time.monotonic() - started, 1), "clock": report.as_dict(), "lists": asdict(prepared),
            "crawl": crawled.summary, "reports": list(filed.references), "stats": figures,
            "recipients": summary.recipients(responders, sandbox, stage.sink),
            "escalations": summary.escalations(), "mail": {"received": len(stage.sink.messages),
                                                          "folder": str(stage.folder / "mail")},
            "reactions": [r.as_dict() for r in responders.reactions], "missing": self.missing,
        }
        mark(stage.folder, status="finished" if report.reason != "interrupted" else "interrupted",
             finished=datetime.now(UTC).isoformat(timespec="seconds"), public_url=stage.serve.public_url)
        if report.reason == "interrupted":
            raise DemoInterrupted("stopped during the simulated days")
        return result

    def _simulate(self, responders: Responders) -> SimulationReport:
        stage = self.stage
        stage.clock.set(datetime.now(UTC))
        start = stage.clock.now()
        sandbox = stage.sandbox
        happenings = [Happening(start + stage.plan.registry_back, f"the registry {DOWN_REGISTRY} is back",
                                lambda: sandbox.set_rdap_state(DOWN_REGISTRY, RdapState.UP))]
        previous_clock = clocks.install(stage.clock)
        previous_wiring = wiring.install(wiring.Wiring(resolver=sandbox.resolver))
        self._simulation = Simulation(
            stage.clock, responders, until=stage.plan.longest, step=stage.plan.step, happenings=happenings,
            on_pass=lambda begun, now: self.report(Event(
                "simulation", "the simulated days: notices, providers' reactions, rechecks, reminders, escalation",
                _state(begun, now))),
        )
        try:
            if self._stopping.is_set():
                self._simulation.stop()
            return self._simulation.run()
        finally:
            self._simulation = None
            clocks.install(previous_clock)
            wiring.install(previous_wiring)


def _state(begun: datetime, now: datetime) -> dict[str, Any]:
    sent = Notice.objects.filter(status=Status.SENT)
    items = NoticeItem.objects.filter(notice__kind=Kind.NOTICE, notice__sent_at__isnull=False)
    return {"simulated_seconds": (now - begun).total_seconds(), "notices": sent.filter(kind=Kind.NOTICE).count(),
            "follow_ups": sent.exclude(kind=Kind.NOTICE).count(), "items": items.count(),
            "removed": items.filter(status=ItemStatus.REMOVED).count()}
