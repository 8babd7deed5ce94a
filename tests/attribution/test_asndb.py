"""The IP-to-ASN reader: iptoasn.com TSV, plain and gzip, v4 and v6; malformed files refused whole."""

from __future__ import annotations

import gzip
import os
from ipaddress import ip_address
from pathlib import Path

import pytest

from sentinelle.attribution.asndb import AsnDatabase, load_cached
from sentinelle.attribution.exceptions import AsnDatabaseError

COMBINED = (
    "0.0.0.0\t0.255.255.255\t0\tNone\tNot routed\n"
    "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n"
    "1.0.1.0\t1.0.3.255\t0\tNone\tNot routed\n"
    "1.0.4.0\t1.0.7.255\t38803\tAU\tGTELECOM-AUSTRALIA Gtelecom Pty Ltd\n"
    "2001:200::\t2001:200:ffff:ffff:ffff:ffff:ffff:ffff\t2500\tJP\tWIDE-BB WIDE Project\n"
    "2a00:1450::\t2a00:1450:ffff:ffff:ffff:ffff:ffff:ffff\t15169\tUnknown\tGOOGLE\n"
)


def test_lookups_find_the_range_holding_an_address_in_v4_and_v6() -> None:
    database = AsnDatabase.parse(COMBINED.splitlines(keepends=True), "combined")
    cloudflare = database.lookup(ip_address("1.0.0.1"))
    assert cloudflare is not None
    assert (cloudflare.asn, cloudflare.country, cloudflare.description) == (13335, "US", "CLOUDFLARENET")
    edge = database.lookup(ip_address("1.0.7.255"))
    assert edge is not None and edge.asn == 38803
    wide = database.lookup(ip_address("2001:200::1"))
    assert wide is not None and (wide.asn, wide.country) == (2500, "JP")
    google = database.lookup(ip_address("2a00:1450::5"))
    assert google is not None and google.country is None  # "Unknown"
    unrouted = database.lookup(ip_address("1.0.2.9"))
    assert unrouted is not None and not unrouted.routed and unrouted.country is None
    assert database.lookup(ip_address("9.9.9.9")) is None  # past the last v4 range
    assert database.lookup(ip_address("::1")) is None  # before the first v6 range
    assert database.counts() == {"ipv4": 4, "ipv6": 2}


def test_every_address_of_a_dense_table_finds_its_own_range() -> None:
    lines = [f"10.0.{i}.0\t10.0.{i}.127\t{64500 + i}\tCA\tNET-{i}\n" for i in range(200)]
    database = AsnDatabase.parse(lines)
    for i in range(200):
        assert database.lookup(ip_address(f"10.0.{i}.0")).asn == 64500 + i  # type: ignore[union-attr]
        assert database.lookup(ip_address(f"10.0.{i}.127")).asn == 64500 + i  # type: ignore[union-attr]
        assert database.lookup(ip_address(f"10.0.{i}.128")) is None  # the gap after each range


@pytest.mark.parametrize("compress", [False, True])
def test_files_load_plain_or_gzip_whatever_their_name(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / "ip2asn-combined.data"
    data = COMBINED.encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    database = AsnDatabase.load(path)
    assert database.lookup(ip_address("1.0.0.200")).asn == 13335  # type: ignore[union-attr]
    assert database.as_dict() == {"file": str(path), "date": "2023-11-14T22:13:20+00:00",
                                  "ranges": {"ipv4": 4, "ipv6": 2}}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1.0.8.0\t1.0.8.255\t13335\tUS", "4 tab-separated fields, 5 expected"),
        ("1.0.8.0 1.0.8.255 13335 US CLOUDFLARENET", "1 tab-separated fields"),
        ("1.0.8.x\t1.0.8.255\t13335\tUS\tX", "does not appear to be an IPv4 or IPv6 address"),
        ("1.0.8.9\t1.0.8.0\t13335\tUS\tX", "is not a range"),
        ("1.0.8.0\t2001:db8::\t13335\tUS\tX", "is not a range"),
        ("1.0.8.0\t1.0.8.255\tAS13335\tUS\tX", "AS number 'AS13335'"),
        ("1.0.8.0\t1.0.8.255\t4294967296\tUS\tX", "AS number '4294967296'"),
        ("1.0.8.0\t1.0.8.255\t13335\tusa\tX", "country 'usa'"),
        ("1.0.7.0\t1.0.8.255\t13335\tUS\tX", "overlaps or comes before 1.0.4.0-1.0.7.255"),
    ],
)
def test_a_malformed_line_refuses_the_whole_file_with_its_line_number(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.tsv"
    v4 = "".join(row + "\n" for row in COMBINED.splitlines()[:4])
    path.write_text(v4 + line + "\n")
    with pytest.raises(AsnDatabaseError) as refused:
        AsnDatabase.load(path)
    assert f"{path} line 5: " in str(refused.value)
    assert message in str(refused.value)


def test_missing_truncated_and_undecodable_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(AsnDatabaseError, match="does not exist"):
        AsnDatabase.load(tmp_path / "nowhere.tsv")
    cut = tmp_path / "cut.tsv.gz"
    cut.write_bytes(gzip.compress(COMBINED.encode() * 50)[:200])
    with pytest.raises(AsnDatabaseError, match="cannot be read"):
        AsnDatabase.load(cut)
    latin = tmp_path / "latin.tsv"
    latin.write_bytes("1.0.0.0\t1.0.0.255\t1\tFR\tR\xe9seau\n".encode("latin-1"))
    with pytest.raises(AsnDatabaseError, match="cannot be read"):
        AsnDatabase.load(latin)


def test_blank_lines_and_crlf_are_accepted() -> None:
    database = AsnDatabase.parse(["1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\r\n", "\n", ""])
    assert database.lookup(ip_address("1.0.0.9")).description == "CLOUDFLARENET"  # type: ignore[union-attr]


def test_the_cached_database_is_read_again_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "ip2asn-v4.tsv"
    path.write_text("1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n")
    first = load_cached(path)
    assert load_cached(path) is first
    path.write_text("1.0.0.0\t1.0.0.255\t64500\tCA\tREPLACED-NET\n")
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9, path.stat().st_mtime_ns + 10**9))
    assert load_cached(path).lookup(ip_address("1.0.0.1")).asn == 64500  # type: ignore[union-attr]
