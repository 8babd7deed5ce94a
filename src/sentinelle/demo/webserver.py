"""The demo's ``sentinelle serve``: the real command, in a child process, on a port of its own.

The port is chosen first (links in notices carry it, so the settings need it before anything
is composed); the child gets the demo's settings and listens there. It writes one JSON line
when it listens: the demo waits for it. Its log goes to ``serve.log`` in the demo's folder.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Final

HOST: Final = "127.0.0.1"
START_TIMEOUT: Final = 60.0


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class ServeProcess:
    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log
        self.url = ""
        self.problem = ""
        self._child: subprocess.Popen[bytes] | None = None
        self._listening = threading.Event()

    @property
    def public_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        """Start the child (it gets this process's environment, so apply the settings first)."""
        command = [sys.executable, "-m", "sentinelle", "serve", "--bind", f"{HOST}:{self.port}",
                   "--workers", "1", "--threads", "4"]
        with self.log.open("ab") as log:
            self._child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
                                           env=dict(os.environ))
        threading.Thread(target=self._read, name="serve-output", daemon=True).start()

    def _read(self) -> None:
        assert self._child is not None and self._child.stdout is not None
        for line in self._child.stdout:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("type") == "listening":
                self.url = str(record.get("url", ""))
                self._listening.set()
        self._listening.set()  # the child ended: nobody waits in vain

    def wait(self, timeout: float = START_TIMEOUT) -> bool:
        """Whether the server listens (waiting for it at most ``timeout`` seconds)."""
        if self._child is None:
            return False
        self._listening.wait(timeout)
        if self.url:
            return True
        code = self._child.poll()
        self.problem = (f"sentinelle serve exited with {code}" if code is not None
                        else f"sentinelle serve did not listen within {timeout:.0f} s") + f" (see {self.log})"
        return False

    def stop(self, timeout: float = 20.0) -> None:
        child, self._child = self._child, None
        if child is None or child.poll() is not None:
            return
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
