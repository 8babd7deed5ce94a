"""Running a :class:`Sandbox` from synchronous code: its own thread and event loop."""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType
from typing import Any

from sentinelle.sandbox.exceptions import SandboxStartError
from sentinelle.sandbox.model import World
from sentinelle.sandbox.server import Sandbox


class SandboxThread:
    """A :class:`Sandbox` running in its own thread and event loop, for synchronous code."""

    def __init__(self, world: World, **options: Any) -> None:
        self.sandbox = Sandbox(world, **options)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = 60.0) -> Sandbox:
        ready = threading.Event()
        failures: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self.sandbox.start())
            except BaseException as error:  # handed to the starting thread
                failures.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.sandbox.stop())
            loop.close()

        self._thread = threading.Thread(target=run, name="sentinelle-sandbox", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise SandboxStartError(f"the sandbox did not start within {timeout} s")
        if failures:
            self._thread.join()
            raise failures[0]
        return self.sandbox

    def stop(self, timeout: float = 30.0) -> None:
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
