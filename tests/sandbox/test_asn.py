"""The IP-to-ASN data file: the iptoasn.com format, the whole IPv4 space, and every address
the world uses mapped to the AS and country of the network holding it."""

from __future__ import annotations

import bisect
import itertools
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from sentinelle.sandbox import Sandbox, World, asn_table, build_world, export_files

Row = tuple[int, int, int, str, str]


def parse(text: str) -> list[Row]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split("\t")
        assert len(fields) == 5, f"line {number}: {line!r}"
        start, end, asn, country, description = fields
        rows.append(
            (int(IPv4Address(start)), int(IPv4Address(end)), int(asn), country, description)
        )
    return rows


def find(rows: list[Row], address: object) -> Row:
    """The row holding ``address`` (binary search, as a reader would)."""
    value = int(IPv4Address(str(address)))
    index = bisect.bisect_right([row[0] for row in rows], value) - 1
    row = rows[index]
    assert row[0] <= value <= row[1]
    return row


def test_the_file_covers_all_of_ipv4_in_order_without_overlap(world: World) -> None:
    rows = parse(asn_table(world))
    assert rows[0][0] == 0 and rows[-1][1] == 2**32 - 1
    for before, after in itertools.pairwise(rows):
        assert before[0] <= before[1] and before[1] + 1 == after[0]
    for row in rows:
        if row[2] == 0:
            assert row[3:] == ("None", "Not routed")
        else:
            assert len(row[3]) == 2 and " - " in row[4]
    assert find(rows, "127.0.0.1")[2] == 0
    assert find(rows, "8.8.8.8")[2] == 0


def test_every_address_of_the_world_maps_to_its_holders_as(world: World) -> None:
    rows = parse(asn_table(world))
    internet = world.internet
    for site in world.sites:
        provider = world.provider(site.provider)
        assert find(rows, site.ip)[2:4] == (provider.asn, provider.country)
    for provider in world.providers:
        row = find(rows, provider.control_ip)
        assert row[2:] == (
            provider.asn,
            provider.country,
            f"{provider.slug.upper()} - {provider.name}",
        )
    cdn = internet.cdn
    for fronted in cdn.fronted:
        origin = world.provider(fronted.site.provider)
        assert find(rows, fronted.site.ip)[2] == origin.asn
    assert find(rows, cdn.edge_ip)[2:4] == (cdn.asn, cdn.country)
    assert find(rows, cdn.abuse_ip)[2] == cdn.asn
    for registry in internet.registries:
        assert find(rows, registry.ip)[2] == find(rows, internet.bootstrap_ip)[2] == 64497
    spare = world.providers[0].network.supernet(new_prefix=23).network_address
    upstream = internet.upstream_of(world.providers[0].slug)
    assert upstream is not None and find(rows, spare)[2:4] == (upstream.asn, upstream.country)
    for address in world.hosts().values():
        assert find(rows, address)[2] != 0


def test_many_providers_each_map_to_their_own_as() -> None:
    world = build_world(2, images=40, providers=250, sites=300)
    rows = parse(asn_table(world))
    for provider in world.providers:
        first, last = provider.network.network_address, provider.network.broadcast_address
        assert find(rows, first) == find(rows, last)
        assert find(rows, first)[2] == provider.asn


def test_export_writes_the_file_beside_the_known_list(sandbox: Sandbox, tmp_path: Path) -> None:
    files = export_files(sandbox, tmp_path)
    assert files.asn_db == tmp_path / "ip2asn-v4.tsv"
    assert files.asn_db.read_text(encoding="utf-8") == sandbox.asn_table
    assert files.known_list.parent == files.asn_db.parent


@pytest.mark.parametrize("seed", [3, 4])
def test_same_seed_same_file(seed: int) -> None:
    text = asn_table(build_world(seed, images=20))
    assert asn_table(build_world(seed, images=20)) == text
    assert asn_table(build_world(seed + 10, images=20)) != text
