"""Call records written in batches: a buffer per server process, one bulk insert per batch.

A record waits until ``SENTINELLE_API_RECORD_BATCH`` records are buffered, or for at most
``SENTINELLE_API_RECORD_FLUSH_SECONDS``; a daemon thread of the process writes them (so no
call waits for the insert, which would add to 1% of the latencies at a batch of 100), and
the buffer is written when the process exits
normally (gunicorn's graceful stop, a worker replaced after its request limit). What a
process killed outright (SIGKILL, the kernel's OOM killer, a power cut) had buffered is
lost: at most one batch or one flush interval of *usage records* per process. Audit events
are not buffered. ``SENTINELLE_API_RECORD_BATCH=1`` writes each record during its call.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time

from django.db import DatabaseError, close_old_connections

from sentinelle.config import integer
from sentinelle.partners.models import ApiCall

logger = logging.getLogger(__name__)

BATCH_SETTING = "SENTINELLE_API_RECORD_BATCH"
SECONDS_SETTING = "SENTINELLE_API_RECORD_FLUSH_SECONDS"


class CallBuffer:
    """``background``: a full batch is written by the process's writer thread, so no call
    waits for it (unless ``BACKLOG`` batches pile up); otherwise by the call that filled it."""

    BACKLOG = 10

    def __init__(self, *, background: bool = True) -> None:
        self.background = background
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._wake = threading.Event()
        self._pending: list[ApiCall] = []
        self._oldest = 0.0
        self._pid = 0  # the process whose thread and exit hook are set up

    def add(self, call: ApiCall) -> None:
        batch = integer(BATCH_SETTING, minimum=1)
        if batch == 1:
            write([call])
            return
        self._start()
        with self._lock:
            if not self._pending:
                self._oldest = time.monotonic()
            self._pending.append(call)
            size = len(self._pending)
            due = size >= batch or time.monotonic() - self._oldest >= _interval()
        if due and self.background and size < batch * self.BACKLOG:
            self._wake.set()
        elif due:
            self.flush()

    def flush(self) -> int:
        """Write every buffered record now; how many were written. One writer at a time, so
        the exit hook waits for a batch the writer thread is writing."""
        with self._writing:
            with self._lock:
                taken, self._pending = self._pending, []
            if taken:
                write(taken)
        return len(taken)

    def pending(self) -> int:
        return len(self._pending)

    def _start(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._pending = []  # a forked child does not write its parent's records
        atexit.register(self.flush)
        if self.background:
            threading.Thread(target=self._write_when_due, name="api-call-records", daemon=True).start()

    def _write_when_due(self) -> None:
        while True:
            woken = self._wake.wait(_interval())
            self._wake.clear()
            if self._pending and (woken or time.monotonic() - self._oldest >= _interval()):
                self.flush()
                close_old_connections()

def _interval() -> float:
    return float(integer(SECONDS_SETTING, minimum=1))


def write(calls: list[ApiCall]) -> None:
    try:
        ApiCall.objects.bulk_create(calls)
    except DatabaseError:  # the answers matter more than their records
        logger.exception("could not record %d API calls", len(calls))


calls = CallBuffer()
