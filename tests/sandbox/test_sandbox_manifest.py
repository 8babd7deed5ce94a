"""The ground-truth manifest agrees with the world and with the known list."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

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


def test_manifest_tells_who_holds_each_network_and_how_rdap_shows_it(
    sandbox: Sandbox, world: World
) -> None:
    records = list(manifest_records(world, sandbox.port))
    by_type: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_type.setdefault(record["type"], []).append(record)
    (rdap,) = by_type["rdap"]
    assert rdap["bootstrap"] == sandbox.rdap_url
    states = {r["host"]: r["starts_up"] for r in rdap["registries"]}
    assert states == {"rdap.north.test": True, "rdap.south.test": True, "rdap.east.test": False}
    networks = {n["cidr"]: n for n in by_type["network"]}
    for provider in by_type["provider"]:
        own = networks[provider["network"]]
        assert own["holder"] == provider["slug"] and own["handle"] == provider["network_handle"]
        upstream = provider["upstream"]
        assert own["parent"] == upstream["network"]
        assert networks[upstream["network"]]["holder"] == upstream["slug"]
        assert provider["rdap_registry"] == own["rdap_registry"] == upstream["rdap_registry"]
        assert provider["language"] in ("en", "fr")
        assert provider["technical_email"] == f"noc@{provider['slug']}.test"
    styles = [p["abuse_style"] for p in by_type["provider"]]
    assert styles == ["embedded", "linked", "none", "linked"]
    (cdn,) = by_type["cdn"]
    (fronted,) = by_type["fronted-site"]
    assert cdn["fronts"] == [fronted["host"]] and fronted["edge_ip"] == cdn["edge_ip"]
    assert networks[cdn["network"]]["holder_kind"] == "cdn"
    assert networks[fronted["origin_network"]]["holder"] == fronted["provider"]
    assert cdn["origin_url"] == sandbox.cdn_origin_url
    domains = {d["host"] for d in by_type["domain"]}
    assert domains == {site.host for site in world.sites} | {fronted["host"]}
    assert len(by_type["fronted-page"]) == 2 and len(by_type["fronted-placement"]) == 4
    resolver = SandboxResolver.from_world(world)
    assert resolver.resolve(fronted["host"]) == resolver.resolve(cdn["edge_host"])
