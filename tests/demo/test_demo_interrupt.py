"""Ctrl-C during the simulated days: the demo stops cleanly, says so, and leaves a usable
database, its folder marked interrupted and no server behind."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from support.cli import clean_env, run_cli


def test_ctrl_c_stops_the_demo_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    env = clean_env(str(tmp_path / "x"))
    child = subprocess.Popen([sys.executable, "-m", "sentinelle", "demo", "--data-dir", str(folder), "--no-progress"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    lines = []
    deadline = time.monotonic() + 240
    for line in child.stderr:
        lines.append(line)
        if "simulated" in line or time.monotonic() > deadline:
            break
    assert any("simulated" in line for line in lines), "".join(lines)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, "".join(lines) + err
    assert "stopped during the simulated days" in err and "database in" in err
    assert out == ""  # no summary for a run that did not finish
    marker = json.loads((folder / "demo.json").read_text())
    assert marker["status"] == "interrupted"
    served = urlsplit(marker["public_url"])
    with socket.socket() as probe:  # the demo's `sentinelle serve` is gone
        assert probe.connect_ex((served.hostname, served.port)) != 0
    stats = run_cli("stats", "--json", env={**env, "SENTINELLE_DATA_DIR": str(folder)})
    assert stats.returncode == 0 and json.loads(stats.stdout)["crawl"]["pages"] > 0
    again = run_cli("demo", "--data-dir", folder, env=env)
    assert again.returncode == 3 and "interrupted" in again.stderr
