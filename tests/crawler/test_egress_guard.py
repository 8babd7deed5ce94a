"""The egress guard: one lookup per URL, every answer checked, hosts read the way browsers do."""

from __future__ import annotations

import pickle
from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import Any

import pytest

from sentinelle.crawl.egress import EgressBlocked, EgressGuard, EgressPolicy, Refusal
from sentinelle.crawl.egress_allowlist import parse_allowlist
from sentinelle.crawl.egress_urls import whatwg_ipv4
from sentinelle.crawl.exceptions import CrawlError
from sentinelle.exceptions import SentinelleError
from sentinelle.sandbox.exceptions import UnknownHost
from sentinelle.sandbox.resolver import SandboxResolver

PUBLIC = "93.184.216.34"


def guard(resolver: Any, allow: str = "") -> EgressGuard:
    return EgressGuard(EgressPolicy(parse_allowlist(allow)), resolver)


def test_a_public_host_is_resolved_once_and_its_checked_addresses_returned(scripted: Any) -> None:
    resolver = scripted({"www.example.test": [[PUBLIC, "2606:2800:220:1::1"]]})
    assert guard(resolver).check("https://WWW.Example.test./a?b#c") == [
        (IPv4Address(PUBLIC), 443),
        (IPv6Address("2606:2800:220:1::1"), 443),
    ]
    assert resolver.lookups == {"www.example.test": 1}


def test_each_check_is_one_lookup_and_a_rebound_answer_is_refused(scripted: Any) -> None:
    resolver = scripted({"rebind.test": [[PUBLIC], ["127.0.0.1"]]})
    egress = guard(resolver)
    assert egress.check("http://rebind.test/") == [(IPv4Address(PUBLIC), 80)]
    with pytest.raises(EgressBlocked) as refused:
        egress.check("http://rebind.test/")
    assert (refused.value.reason, refused.value.address) == (
        Refusal.LOOPBACK,
        IPv4Address("127.0.0.1"),
    )
    assert resolver.lookups == {"rebind.test": 2}


@pytest.mark.parametrize(
    ("answer", "reason", "address"),
    [
        ([PUBLIC, "127.0.0.1"], Refusal.LOOPBACK, "127.0.0.1"),
        (["10.0.0.7", PUBLIC], Refusal.PRIVATE, "10.0.0.7"),
        ([PUBLIC, "169.254.169.254"], Refusal.METADATA, "169.254.169.254"),
        ([PUBLIC, "::ffff:192.168.0.1"], Refusal.PRIVATE, "::ffff:192.168.0.1"),
    ],
)
def test_an_answer_with_any_refused_address_is_refused_whole(
    scripted: Any, answer: list[str], reason: Refusal, address: str
) -> None:
    with pytest.raises(EgressBlocked) as refused:
        guard(scripted({"mixed.test": [answer]})).check("http://mixed.test/")
    assert refused.value.reason == reason
    assert refused.value.address == ip_address(address)
    assert refused.value.url == "http://mixed.test/"
    assert isinstance(refused.value, CrawlError)
    assert isinstance(refused.value, SentinelleError)


def test_the_error_says_what_was_refused_and_why(scripted: Any) -> None:
    with pytest.raises(EgressBlocked) as refused:
        guard(scripted({})).check("http://[::ffff:127.0.0.1]:8080/x")
    assert str(refused.value) == (
        "egress refused (loopback, in 127.0.0.0/8): http://[::ffff:127.0.0.1]:8080/x"
        f" -> {ip_address('::ffff:127.0.0.1')}"
    )


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1:6379/", "127.0.0.1"),
        ("http://[::1]/", "::1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://0x7f000001/", "127.0.0.1"),
        ("http://2130706433/", "127.0.0.1"),
        ("http://127.1/", "127.0.0.1"),
        ("http://0177.0.0.1/", "127.0.0.1"),
        ("http://0x7f.0.0.1/", "127.0.0.1"),
        ("http://017700000001/", "127.0.0.1"),
        ("http://127.0.0.1./", "127.0.0.1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("http://[0:0:0:0:0:ffff:7f00:1]/", "::ffff:127.0.0.1"),
        ("http://user:pass@127.0.0.1/", "127.0.0.1"),
        ("http://93.184.216.34@127.0.0.1/", "127.0.0.1"),
        ("HTTP://0X7F000001/", "127.0.0.1"),
        ("http://0/", "0.0.0.0"),
    ],
)
def test_address_literals_in_every_spelling_are_refused_without_a_lookup(
    scripted: Any, url: str, address: str
) -> None:
    resolver = scripted({})
    with pytest.raises(EgressBlocked) as refused:
        guard(resolver).check(url)
    assert refused.value.address == ip_address(address)
    assert refused.value.reason in {Refusal.LOOPBACK, Refusal.METADATA, Refusal.UNSPECIFIED}
    assert resolver.lookups == {}


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.test/", Refusal.SCHEME),
        ("file:///etc/passwd", Refusal.SCHEME),
        ("gopher://example.test:6379/", Refusal.SCHEME),
        ("//example.test/", Refusal.SCHEME),
        ("http:///path", Refusal.INVALID_URL),
        ("http://exa mple.test/", Refusal.INVALID_URL),
        ("http://%31%32%37.0.0.1/", Refusal.INVALID_URL),
        ("http://example.test:99999/", Refusal.INVALID_URL),
        ("http://example.test:0/", Refusal.INVALID_URL),
        ("http://[fe80::1%25eth0]/", Refusal.INVALID_URL),
        ("http://[::1/", Refusal.INVALID_URL),
        ("http://1.2.3.4.5/", Refusal.INVALID_URL),
        ("http://08.0.0.1/", Refusal.INVALID_URL),
        ("http://256.256.256.256/", Refusal.INVALID_URL),
        ("http://example.123/", Refusal.INVALID_URL),
        ("http://1_0.0.0.1/", Refusal.INVALID_URL),
        ("http://93.184.216.34:25/", Refusal.BAD_PORT),
    ],
)
def test_urls_without_an_acceptable_destination_are_refused_without_a_lookup(
    scripted: Any, url: str, reason: Refusal
) -> None:
    resolver = scripted({})
    with pytest.raises(EgressBlocked) as refused:
        guard(resolver).check(url)
    assert refused.value.reason == reason
    assert refused.value.address is None or reason == Refusal.BAD_PORT
    assert resolver.lookups == {}


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("0x7f000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("0x7f.0x0.0.0x1", "127.0.0.1"),
        ("0x", "0.0.0.0"),
        ("4294967295", "255.255.255.255"),
        ("4294967296", None),
        ("1.16777216", None),
        ("256.1.1.1", None),
        ("09", None),
        ("0xg", None),
    ],
)
def test_the_whatwg_ipv4_parser(host: str, expected: str | None) -> None:
    parsed = whatwg_ipv4(host)
    assert (str(parsed) if parsed else None) == expected


def test_a_name_that_only_ends_like_a_word_is_a_name(scripted: Any) -> None:
    resolver = scripted({"0x7g.test": [[PUBLIC]], "xn--bcher-kva.test": [[PUBLIC]]})
    egress = guard(resolver)
    assert egress.check("http://0x7g.test/") == [(IPv4Address(PUBLIC), 80)]
    assert egress.destination("http://bücher.test/").host == "xn--bcher-kva.test"
    assert resolver.lookups == {"0x7g.test": 1, "xn--bcher-kva.test": 1}


def test_the_destination_names_the_host_for_the_host_header_and_tls(scripted: Any) -> None:
    resolver = scripted({"site.test": [["::ffff:127.0.0.1", "127.0.0.1"]]})
    destination = guard(resolver, allow="127.0.0.0/8:8443").destination("https://Site.test:8443/x")
    assert (destination.scheme, destination.host, destination.port) == ("https", "site.test", 8443)
    assert destination.addresses == (IPv4Address("127.0.0.1"),)  # mapped = the same address


def test_allowlisted_destinations_pass_on_their_port_only(scripted: Any) -> None:
    egress = guard(scripted({"sandbox.test": [["127.1.0.5"]]}), allow="127.1.0.0/16:8080")
    assert egress.check("http://sandbox.test:8080/") == [(IPv4Address("127.1.0.5"), 8080)]
    assert egress.check("http://127.1.0.9:8080/") == [(IPv4Address("127.1.0.9"), 8080)]
    for url in ("http://sandbox.test/", "http://sandbox.test:8081/", "http://127.2.0.1:8080/"):
        with pytest.raises(EgressBlocked):
            egress.check(url)


def test_resolver_errors_pass_through_and_an_empty_answer_is_refused(scripted: Any) -> None:
    with pytest.raises(UnknownHost):
        guard(scripted({})).check("http://nowhere.test/")
    with pytest.raises(EgressBlocked) as refused:
        guard(scripted({"empty.test": [[]]})).check("http://empty.test/")
    assert refused.value.reason == Refusal.INVALID_URL


def test_the_sandbox_resolver_plugs_in() -> None:
    resolver = SandboxResolver({"www.oak-1.example": IPv4Address("127.64.1.10")})
    egress = EgressGuard(EgressPolicy(parse_allowlist("127.64.0.0/16:8000")), resolver)
    assert egress.check("http://www.oak-1.example:8000/") == [(IPv4Address("127.64.1.10"), 8000)]
    with pytest.raises(EgressBlocked):
        egress.check("http://www.oak-1.example/")


def test_a_refusal_survives_pickling(scripted: Any) -> None:
    with pytest.raises(EgressBlocked) as refused:
        guard(scripted({})).check("http://169.254.169.254/")
    copy = pickle.loads(pickle.dumps(refused.value))
    assert (copy.reason, copy.url, copy.address, str(copy)) == (
        Refusal.METADATA,
        "http://169.254.169.254/",
        IPv4Address("169.254.169.254"),
        str(refused.value),
    )
