"""The egress policy: the address table, IPv6 forms that carry IPv4 addresses, bad ports, and the
``SENTINELLE_EGRESS_ALLOW`` allowlist and its strict parsing."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sentinelle.config import ConfigurationError
from sentinelle.crawl.egress import EgressPolicy, Refusal
from sentinelle.crawl.egress_addresses import METADATA_ADDRESSES
from sentinelle.crawl.egress_allowlist import AllowEntry, parse_allowlist
from sentinelle.exceptions import SentinelleError

R = Refusal
TABLE: list[tuple[str, Refusal | None]] = [
    # public: allowed
    ("93.184.216.34", None),
    ("8.8.8.8", None),
    ("1.1.1.1", None),
    ("2606:4700:4700::1111", None),
    ("2a00:1450:4007:80e::200e", None),
    ("::ffff:8.8.8.8", None),  # IPv4-mapped: checked as 8.8.8.8
    ("64:ff9b::808:808", None),  # NAT64 of a public address
    # cloud metadata
    ("169.254.169.254", R.METADATA),
    ("169.254.170.2", R.METADATA),
    ("100.100.100.200", R.METADATA),
    ("168.63.129.16", R.METADATA),
    ("fd00:ec2::254", R.METADATA),
    ("::ffff:169.254.169.254", R.METADATA),
    ("64:ff9b::a9fe:a9fe", R.METADATA),
    # loopback, private, link-local
    ("127.0.0.1", R.LOOPBACK),
    ("127.255.255.254", R.LOOPBACK),
    ("::1", R.LOOPBACK),
    ("10.1.2.3", R.PRIVATE),
    ("172.16.0.1", R.PRIVATE),
    ("172.31.255.255", R.PRIVATE),
    ("192.168.1.1", R.PRIVATE),
    ("fc00::1", R.PRIVATE),
    ("fd12:3456::1", R.PRIVATE),
    ("169.254.1.1", R.LINK_LOCAL),
    ("fe80::1", R.LINK_LOCAL),
    ("fec0::1", R.SITE_LOCAL),
    # special networks
    ("100.64.0.1", R.SHARED),
    ("100.127.255.254", R.SHARED),
    ("0.0.0.0", R.UNSPECIFIED),
    ("::", R.UNSPECIFIED),
    ("0.1.2.3", R.THIS_NETWORK),
    ("224.0.0.1", R.MULTICAST),
    ("239.255.255.250", R.MULTICAST),
    ("ff02::1", R.MULTICAST),
    ("255.255.255.255", R.BROADCAST),
    ("240.0.0.1", R.RESERVED),
    ("192.0.2.1", R.DOCUMENTATION),
    ("198.51.100.1", R.DOCUMENTATION),
    ("203.0.113.1", R.DOCUMENTATION),
    ("2001:db8::1", R.DOCUMENTATION),
    ("3fff::1", R.DOCUMENTATION),
    ("198.18.0.1", R.BENCHMARKING),
    ("2001:2::1", R.BENCHMARKING),
    ("192.0.0.8", R.SPECIAL_PURPOSE),
    ("192.88.99.1", R.SPECIAL_PURPOSE),
    ("100::1", R.SPECIAL_PURPOSE),
    ("64:ff9b:1::1", R.SPECIAL_PURPOSE),
    ("2002:808:808::1", R.SPECIAL_PURPOSE),  # 6to4 of a public address
    ("5f00::1", R.RESERVED),
    ("4000::1", R.RESERVED),
    ("::8.8.8.8", R.RESERVED),  # IPv4-compatible (deprecated)
    # IPv6 that carries a refused IPv4 address: refused as that address
    ("::ffff:127.0.0.1", R.LOOPBACK),
    ("::ffff:10.0.0.1", R.PRIVATE),
    ("::127.0.0.1", R.LOOPBACK),
    ("::ffff:0:127.0.0.1", R.LOOPBACK),  # IPv4-translated (SIIT)
    ("64:ff9b::7f00:1", R.LOOPBACK),  # NAT64
    ("2002:7f00:1::1", R.LOOPBACK),  # 6to4
    ("2002:a9fe:a9fe::1", R.METADATA),  # 6to4
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", R.DOCUMENTATION),  # Teredo, client 192.0.2.45
    ("2001:0:7f00:1::1", R.LOOPBACK),  # Teredo, server 127.0.0.1
]


@pytest.mark.parametrize(("address", "reason"), TABLE)
def test_the_address_table(address: str, reason: Refusal | None) -> None:
    verdict = EgressPolicy().decide(ip_address(address), 80)
    assert verdict.reason == reason, verdict.detail
    assert verdict.allowed is (reason is None)


def test_every_named_metadata_address_is_refused_as_metadata() -> None:
    for address in METADATA_ADDRESSES:
        assert EgressPolicy().decide(address, 80).reason == Refusal.METADATA


def test_an_ipv4_mapped_address_is_checked_and_returned_as_the_ipv4_address_it_reaches() -> None:
    verdict = EgressPolicy().decide(IPv6Address("::ffff:8.8.8.8"), 443)
    assert (verdict.address, verdict.allowed) == (IPv4Address("8.8.8.8"), True)


@pytest.mark.parametrize("port", [25, 22, 6667, 10080])
def test_ports_browsers_refuse_are_refused(port: int) -> None:
    assert EgressPolicy().decide(IPv4Address("93.184.216.34"), port).reason == Refusal.BAD_PORT


@pytest.mark.parametrize("port", [80, 443, 8080, 8443, 6379])
def test_other_ports_of_public_addresses_are_allowed(port: int) -> None:
    assert EgressPolicy().decide(IPv4Address("93.184.216.34"), port).allowed


@given(st.ip_addresses())
def test_nothing_that_is_not_global_is_ever_allowed(address: IPv4Address | IPv6Address) -> None:
    verdict = EgressPolicy().decide(address, 80)
    if verdict.allowed:
        assert verdict.address.is_global
        assert not verdict.address.is_private
        assert not verdict.address.is_multicast


@given(st.ip_addresses(v=4))
def test_ipv6_forms_that_carry_a_refused_ipv4_address_are_refused_as_it(
    address: IPv4Address,
) -> None:
    policy = EgressPolicy()
    plain = policy.decide(address, 80)
    if plain.allowed:
        return
    value = int(address)
    for wrapped in (
        IPv6Address((0xFFFF << 32) | value),  # ::ffff:a.b.c.d
        IPv6Address(value) if value > 1 else None,  # ::a.b.c.d
        IPv6Address((0xFFFF << 48) | value),  # ::ffff:0:a.b.c.d
        IPv6Address((0x64FF9B << 96) | value),  # 64:ff9b::a.b.c.d
        IPv6Address((0x2002 << 112) | (value << 80) | 1),  # 2002:aabb:ccdd::1
    ):
        if wrapped is not None:
            assert policy.decide(wrapped, 80).reason == plain.reason, wrapped


def test_the_allowlist_lets_exactly_its_network_and_port_through() -> None:
    policy = EgressPolicy(parse_allowlist("127.1.0.0/16:8080, [::1/128]:8443"))
    allowed = policy.decide(IPv4Address("127.1.2.3"), 8080)
    assert allowed.allowed and allowed.allowlisted
    assert policy.decide(IPv6Address("::ffff:127.1.2.3"), 8080).allowed
    assert policy.decide(IPv6Address("::1"), 8443).allowed
    assert policy.decide(IPv4Address("127.1.2.3"), 8081).reason == Refusal.LOOPBACK
    assert policy.decide(IPv4Address("127.2.0.1"), 8080).reason == Refusal.LOOPBACK
    assert policy.decide(IPv6Address("::1"), 8080).reason == Refusal.LOOPBACK
    public = policy.decide(IPv4Address("8.8.8.8"), 80)
    assert public.allowed and not public.allowlisted


def test_the_policy_reads_its_allowlist_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", "127.64.0.0/10:80")
    assert EgressPolicy.from_environment().allow == (AllowEntry(ip_network("127.64.0.0/10"), 80),)
    monkeypatch.delenv("SENTINELLE_EGRESS_ALLOW")
    assert EgressPolicy.from_environment().allow == ()
    monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", "127.0.0.0/8:*")
    with pytest.raises(ConfigurationError, match=r"127\.0\.0\.0/8:\*"):
        EgressPolicy.from_environment()


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("", ()),
        ("  ", ()),
        ("127.0.0.1/32:8080", (("127.0.0.1/32", 8080),)),
        (" 10.0.0.0/8:80 ,127.1.0.0/16:65535", (("10.0.0.0/8", 80), ("127.1.0.0/16", 65535))),
        ("::1/128:8443", (("::1/128", 8443),)),
        ("[fd00::/8]:1", (("fd00::/8", 1),)),
    ],
)
def test_allowlist_entries(text: str, entries: tuple[tuple[str, int], ...]) -> None:
    parsed = parse_allowlist(text)
    assert [(str(entry.network), entry.port) for entry in parsed] == list(entries)


@pytest.mark.parametrize(
    ("text", "bad", "why"),
    [
        ("127.0.0.0/8", "127.0.0.0/8", "port is required"),
        ("127.0.0.0/8:", "127.0.0.0/8:", "not a number"),
        ("127.0.0.0/8:*", "127.0.0.0/8:*", r"\* \(any port\) is not allowed"),
        ("127.0.0.0/8:80-90", "127.0.0.0/8:80-90", "not a number"),
        ("127.0.0.0/8:0", "127.0.0.0/8:0", "not from 1 to 65535"),
        ("127.0.0.0/8:65536", "127.0.0.0/8:65536", "not from 1 to 65535"),
        ("127.0.0.0/8: 80", "127.0.0.0/8: 80", "not a number"),
        ("127.0.0.1:8080", "127.0.0.1:8080", "prefix length"),
        ("127.0.0.1/8:80", "127.0.0.1/8:80", "host bits set"),
        ("localhost/32:80", "localhost/32:80", "not a network"),
        ("::1/128", "::1/128", "port is required"),
        ("::ffff:127.0.0.0/104:80", "::ffff:127.0.0.0/104:80", "IPv4-mapped"),
        ("10.0.0.0/8:80,,127.0.0.0/8:80", "", "empty"),
        ("10.0.0.0/8:80,", "", "empty"),
        ("10.0.0.0/8:80, 300.0.0.0/8:80", "300.0.0.0/8:80", "not a network"),
    ],
)
def test_bad_allowlist_entries_are_configuration_errors_naming_the_entry(
    text: str, bad: str, why: str
) -> None:
    with pytest.raises(ConfigurationError, match=why) as error:
        parse_allowlist(text)
    assert f"SENTINELLE_EGRESS_ALLOW: bad entry {bad!r}" in str(error.value)
    assert isinstance(error.value, SentinelleError)
