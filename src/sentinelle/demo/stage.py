"""The demo's outside world, started before Django: the sandbox web, the mail sink, the port.

The sandbox (simulated providers, RDAP registries, the CDN) runs in a thread of this process
with its files in ``<folder>/sandbox`` and the providers' takedown logs in
``<folder>/takedowns``; the mail sink keeps every message in ``<folder>/mail``. Its desks
read the demo's clock (a :class:`~sentinelle.clock.ManualClock`, set to the real time until
the simulated days begin), so a provider that removes "30 hours later" does so on the
simulated clock. Once they run, the demo's settings are applied to this process
(:mod:`.environment`). No Django here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sentinelle.clock import ManualClock
from sentinelle.demo.environment import Endpoints, apply, demo_settings, restore
from sentinelle.demo.plan import DemoPlan
from sentinelle.demo.webserver import ServeProcess, free_port
from sentinelle.sandbox import ExportedFiles, Sandbox, SandboxThread, World, export_files
from sentinelle.sandbox.mailsink import MailSink


class Stage:
    def __init__(self, folder: Path, plan: DemoPlan, *, serve_port: int | None = None) -> None:
        self.folder, self.plan = folder, plan
        self.world: World = plan.world()
        self.clock = ManualClock(datetime.now(UTC))
        self.thread = SandboxThread(self.world, log_folder=folder / "takedowns", clock=self.seconds)
        self.sink = MailSink(folder=folder / "mail")
        self.serve = ServeProcess(serve_port or free_port(), folder / "serve.log")
        self._sandbox: Sandbox | None = None
        self._files: ExportedFiles | None = None
        self._previous: dict[str, str | None] | None = None

    def seconds(self) -> float:
        """The demo's clock as the sandbox reads it (seconds since the epoch)."""
        return self.clock.now().timestamp()

    @property
    def sandbox(self) -> Sandbox:
        assert self._sandbox is not None, "the stage is not started"
        return self._sandbox

    @property
    def files(self) -> ExportedFiles:
        assert self._files is not None, "the stage is not started"
        return self._files

    def start(self) -> None:
        self._sandbox = self.thread.start()
        self._files = export_files(self._sandbox, self.folder / "sandbox")
        self.sink.start()
        endpoints = Endpoints(self._sandbox.port, self._sandbox.rdap_url, self._files.asn_db, self.sink.url,
                              self.serve.public_url)
        self._previous = apply(demo_settings(self.folder, self.plan, endpoints))

    def stop(self) -> None:
        """Stop everything started (safe to call more than once, or after a failed start)."""
        self.serve.stop()
        self.sink.stop()
        self.thread.stop()
        if self._previous is not None:
            restore(self._previous)
            self._previous = None
