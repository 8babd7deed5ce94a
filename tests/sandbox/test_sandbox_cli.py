"""``sentinelle sandbox serve``: prints the world, writes its files, serves until SIGINT."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from sandbox_support import fetch

from sentinelle.lists import read_list
from sentinelle.sandbox import SandboxResolver


def _lines(stream: IO[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


def _until_files(output: queue.Queue[str]) -> list[dict[str, Any]]:
    records = []
    while True:
        record = json.loads(output.get(timeout=60))
        records.append(record)
        if record["type"] == "files":
            return records


def test_serve_prints_writes_serves_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    folder = tmp_path / "world"
    command = [
        sys.executable,
        "-m",
        "sentinelle",
        "sandbox",
        "serve",
        "--seed",
        "3",
        "--images",
        "30",
        "--providers",
        "2",
        "--output-dir",
        str(folder),
        "--policy",
        "immediate",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    output: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=_lines, args=(process.stdout, output), daemon=True).start()
    try:
        records = _until_files(output)
        kinds = [r["type"] for r in records]
        assert kinds.count("provider") == 2 and kinds.count("site") >= 4
        files = records[-1]
        assert read_list(files["known_list"]).entries
        manifest = [json.loads(line) for line in Path(files["manifest"]).read_text().splitlines()]
        assert {"world", "provider", "site", "media", "placement", "hostile"} <= {
            m["type"] for m in manifest
        }
        resolver = SandboxResolver.from_hosts_file(files["hosts"])
        site = next(r for r in records if r["type"] == "site")
        assert fetch(resolver, site["url"]).status == 200
        provider = next(r for r in records if r["type"] == "provider")
        assert provider["network"].startswith("127.64.")
        media = next(
            m
            for m in manifest
            if m["type"] == "placement" and m["final"] and m["final"].startswith(site["url"])
        )
        body = json.dumps({"urls": [media["final"]], "reference": "cli-1"}).encode()
        desk = next(r for r in records if r["type"] == "provider" and r["slug"] == site["provider"])
        assert fetch(resolver, desk["takedown_url"], method="POST", body=body).status == 200
        assert fetch(resolver, media["final"]).status == 404
        _check_attribution(records, files, resolver)
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    assert "sandbox stopped" in errors
    log = (folder / "takedowns" / f"{site['provider']}.jsonl").read_text()
    assert '"reference":"cli-1"' in log


def _check_attribution(
    records: list[dict[str, Any]], files: dict[str, Any], resolver: SandboxResolver
) -> None:
    """The RDAP servers, the CDN and the IP-to-ASN file of a sandbox in another process."""
    (rdap,) = [r for r in records if r["type"] == "rdap"]
    (cdn,) = [r for r in records if r["type"] == "cdn"]
    (fronted,) = [r for r in records if r["type"] == "fronted-site"]
    providers = [r for r in records if r["type"] == "provider"]
    assert [p["abuse_style"] for p in providers] == ["embedded", "linked"]
    assert cdn["fronts"] == [fronted["host"]]
    assert fetch(resolver, fronted["url"]).header("server") == cdn["slug"]
    address = providers[1]["network"].split("/")[0]
    redirect = fetch(resolver, f"{rdap['bootstrap']}ip/{address}")
    assert redirect.status == 302
    network = fetch(resolver, str(redirect.header("location")))
    assert network.status == 200
    assert json.loads(network.body)["handle"] == providers[1]["network_handle"]
    control = f"{rdap['bootstrap']}_sandbox/state"
    body = json.dumps({"registry": "rdap.north.test", "state": "unavailable"}).encode()
    assert fetch(resolver, control, method="POST", body=body).status == 200
    assert fetch(resolver, f"{rdap['registries'][0]['url']}help").status == 503
    table = Path(files["asn_db"]).read_text(encoding="utf-8")
    assert table.startswith("0.0.0.0\t") and f"\t{providers[0]['asn']}\t" in table


def test_serve_refuses_an_impossible_world(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sentinelle",
            "sandbox",
            "serve",
            "--images",
            "3",
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "at least" in done.stderr
