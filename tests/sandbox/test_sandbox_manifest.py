"""The ground-truth manifest agrees with the world and with the known list."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sentinelle.sandbox import Sandbox, World, export_files, known_list, manifest_records
from sentinelle.sandbox.resolver import SandboxResolver


def test_manifest_lists_every_placement_with_its_expected_match(
    sandbox: Sandbox, world: World
) -> None:
    records = list(manifest_records(world, sandbox.port))
    kinds = Counter(r["type"] for r in records)
    assert kinds["world"] == 1
    assert kinds["media"] == len(world.media)
    assert kinds["placement"] == len(list(world.placements()))
    assert kinds["hostile"] == len(world.hostile)
    listed = {entry.id for entry in known_list(world, sandbox.images).entries}
    for record in records:
        json.dumps(record)
        if record["type"] != "placement":
            continue
        media = world.media[record["media"]]
        assert record["expected"] == str(media.expected)
        assert (record["list_id"] in listed) == (record["expected"] != "none")
        if record["request"] is not None:
            assert record["request"].startswith("http://")
            assert f":{sandbox.port}/" in record["request"]
        else:
            assert record["construct"] == "data-uri"


def test_export_writes_the_files_other_processes_need(sandbox: Sandbox, tmp_path: Path) -> None:
    files = export_files(sandbox, tmp_path / "out")
    assert files.known_list.read_text().startswith("signal_type,hash,category,id,note\n")
    lines = files.manifest.read_text().splitlines()
    assert json.loads(lines[0])["type"] == "world"
    from_file = SandboxResolver.from_hosts_file(files.hosts)
    assert from_file.hosts() == sandbox.resolver.hosts()
    assert files.takedown_logs == sandbox.log_folder
