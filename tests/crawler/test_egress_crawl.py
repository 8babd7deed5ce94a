"""Real Scrapy crawls through the egress handler, against loopback servers (see conftest.py).

Every crawl also checks that Twisted made no name lookup of its own (``system_lookups``): the
guard's lookup is the only one, and the connection goes to what it answered.
"""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any
from urllib.parse import quote

import pytest

from sentinelle.crawl.egress_download import HANDLER

PUBLIC = "93.184.216.34"  # checked, never reached: the child's network fence stops it


def test_a_checked_host_is_fetched_from_the_checked_address_under_its_own_name(
    serve: Any, crawl: Any
) -> None:
    server = serve()
    url = f"http://site.test:{server.port}/page"
    result = crawl(
        [url], allow=f"127.0.0.1/32:{server.port}", script={"site.test": [["127.0.0.1"]]}
    )
    response = result.response(url)
    assert (response["status"], response["ip"]) == (200, "127.0.0.1")
    assert server.seen.requests == [("/page", f"site.test:{server.port}")]
    assert result.lookups == {"site.test": 1}
    assert result.system_lookups == []
    assert result.connects == [["127.0.0.1", server.port]]
    assert result.stats == {"egress/allowed": 1}


def test_dns_rebinding_cannot_move_the_connection_after_the_check(serve: Any, crawl: Any) -> None:
    """The resolver answers a public address, then 127.0.0.1 (where a server listens, and the
    allowlist would even let it through). Each request is resolved exactly once; the first
    connects to the public address it checked (stopped by the test fence), never to the
    second answer; the second request gets the second answer and is refused."""
    server = serve()
    url = f"http://rebind.test:{server.port}/"
    result = crawl([url, url], script={"rebind.test": [[PUBLIC], ["127.0.0.1"]]})
    assert result.lookups == {"rebind.test": 2}  # one per request
    assert result.system_lookups == []
    assert result.connects == [[PUBLIC, server.port]]
    assert server.seen.connections == 0
    first, second = result.failures
    assert first["type"] == "DownloadConnectionRefusedError"
    assert "test network fence" in first["message"]
    assert (second["type"], second["reason"], second["address"]) == (
        "EgressBlocked",
        "loopback",
        "127.0.0.1",
    )
    assert result.stats == {"egress/allowed": 1, "egress/refused/loopback": 1}


def test_a_resolver_that_blocks_is_asked_in_a_thread_one_that_does_not_in_the_reactor(
    serve: Any, crawl: Any
) -> None:
    server = serve()
    url = f"http://site.test:{server.port}/page"
    script = {"site.test": [["127.0.0.1"]]}
    allow = f"127.0.0.1/32:{server.port}"
    threaded = crawl([url], allow=allow, script=script)
    in_reactor = crawl([url], allow=allow, script=script, blocking=False)
    assert threaded.lookups_in_reactor_thread == [False]
    assert in_reactor.lookups_in_reactor_thread == [True]
    for result in (threaded, in_reactor):
        assert (result.response(url)["ip"], result.connects) == ("127.0.0.1", [["127.0.0.1", server.port]])


def test_without_a_thread_the_guard_still_refuses_private_answers_and_rebinding(
    serve: Any, crawl: Any
) -> None:
    """The non-blocking path (an in-memory resolver, looked up in the reactor's thread) is the
    same check: a private answer, a mixed answer and a rebinding answer are refused before any
    connection, one lookup per request, and an address literal never reaches the resolver."""
    server = serve()
    private = f"http://private.test:{server.port}/"
    mixed = f"http://mixed.test:{server.port}/"
    rebind = f"http://rebind.test:{server.port}/"
    literal = f"http://127.0.0.1:{server.port}/"
    script = {
        "private.test": [["10.1.2.3"]],
        "mixed.test": [[PUBLIC, "127.0.0.1"]],
        "rebind.test": [[PUBLIC], ["127.0.0.1"]],
    }
    result = crawl([private, mixed, rebind, rebind, literal], script=script, blocking=False)
    assert result.lookups == {"private.test": 1, "mixed.test": 1, "rebind.test": 2}
    assert result.lookups_in_reactor_thread == [True] * 4
    assert result.connects == [[PUBLIC, server.port]]  # the first rebind.test answer only
    assert server.seen.connections == 0
    refused = {(f["url"], f["reason"], f["address"]) for f in result.failures if f["reason"]}
    assert refused == {
        (private, "private", "10.1.2.3"),
        (mixed, "loopback", "127.0.0.1"),
        (rebind, "loopback", "127.0.0.1"),
        (literal, "loopback", "127.0.0.1"),
    }
    assert result.stats == {
        "egress/allowed": 1,
        "egress/refused/private": 1,
        "egress/refused/loopback": 3,
    }


def test_an_answer_mixing_public_and_private_addresses_is_refused_whole(
    serve: Any, crawl: Any
) -> None:
    server = serve()
    url = f"http://mixed.test:{server.port}/"
    result = crawl([url], script={"mixed.test": [[PUBLIC, "127.0.0.1"]]})
    assert result.failure(url)["reason"] == "loopback"
    assert result.connects == []
    assert server.seen.connections == 0
    assert result.lookups == {"mixed.test": 1}


REFUSED_LITERALS = {
    "http://127.0.0.1:6379/": "loopback",
    "http://[::1]/": "loopback",
    "http://169.254.169.254/latest/meta-data/": "metadata",
    "http://0x7f000001/": "loopback",
    "http://2130706433/": "loopback",
    "http://127.1/": "loopback",
    "http://[::ffff:127.0.0.1]/": "loopback",
    "http://10.0.0.1/": "private",
    "http://[fd00:ec2::254]/latest/meta-data/": "metadata",
}


def test_reported_urls_to_refused_addresses_fail_before_any_connection(
    serve: Any, crawl: Any
) -> None:
    """127.0.0.1:6379 (Redis) is never touched: the same refusal is shown on a port where a
    test server does listen, and it sees no connection. Address literals in every spelling
    are refused without a lookup."""
    server = serve()
    variant = f"http://127.0.0.1:{server.port}/"
    result = crawl([*REFUSED_LITERALS, variant])
    for url, reason in {**REFUSED_LITERALS, variant: "loopback"}.items():
        failure = result.failure(url)
        assert (failure["type"], failure["reason"]) == ("EgressBlocked", reason), url
    assert result.failure("http://0x7f000001/")["address"] == "127.0.0.1"
    assert server.seen.connections == 0
    assert result.connects == []
    assert result.lookups == {}
    assert result.system_lookups == []
    assert result.stats == {
        "egress/refused/loopback": 7,
        "egress/refused/metadata": 2,
        "egress/refused/private": 1,
    }


def test_proxies_unknown_hosts_and_other_schemes_fail_without_connecting(
    serve: Any, crawl: Any
) -> None:
    server = serve()
    proxied = {"url": "http://example.test/", "meta": {"proxy": f"http://127.0.0.1:{server.port}"}}
    result = crawl([proxied, "http://unknown.test/"], script={"example.test": [[PUBLIC]]})
    assert result.failure("http://example.test/")["reason"] == "proxy"
    assert result.failure("http://unknown.test/")["type"] == "CannotResolveHostError"
    assert result.stats == {"egress/refused/proxy": 1, "egress/unresolved": 1}
    assert result.connects == []
    assert server.seen.connections == 0


def test_every_redirect_hop_is_checked_again(serve: Any, crawl: Any) -> None:
    """An allowlisted server redirects to refused places: each hop is refused with its reason;
    a hop to an allowed name is resolved (once) and fetched."""
    inside = serve()  # allowlisted
    target = serve()  # same address, another port: not allowlisted
    hops = {
        f"http://127.0.0.1:{target.port}/": ("loopback", "127.0.0.1"),
        f"http://[::ffff:127.0.0.1]:{target.port}/": ("loopback", "::ffff:127.0.0.1"),
        f"http://0x7f000001:{target.port}/": ("loopback", "127.0.0.1"),
        "http://metadata.test/latest/meta-data/": ("metadata", "169.254.169.254"),
    }
    allowed_hop = f"http://also.test:{inside.port}/"
    urls = [f"http://127.0.0.1:{inside.port}/redirect?to={quote(hop)}" for hop in hops]
    result = crawl(
        [*urls, f"http://127.0.0.1:{inside.port}/redirect?to={quote(allowed_hop)}"],
        allow=f"127.0.0.1/32:{inside.port}",
        script={"metadata.test": [["169.254.169.254"]], "also.test": [["127.0.0.1"]]},
    )
    for hop, (reason, address) in hops.items():
        failure = result.failure(hop)
        assert (failure["type"], failure["reason"]) == ("EgressBlocked", reason), hop
        assert ip_address(failure["address"]) == ip_address(address)
    assert result.response(allowed_hop)["status"] == 200
    assert target.seen.connections == 0
    assert len(inside.seen.requests) == len(hops) + 2
    assert result.lookups == {"metadata.test": 1, "also.test": 1}
    assert result.system_lookups == []
    assert {host for host, _ in result.connects} == {"127.0.0.1"}
    assert result.stats == {
        "egress/allowed": len(hops) + 2,
        "egress/refused/loopback": 3,
        "egress/refused/metadata": 1,
    }


def test_the_allowlist_lets_exactly_its_network_and_port_through(serve: Any, crawl: Any) -> None:
    allowed = serve("127.0.0.2")
    other_port = serve("127.0.0.2")
    outside = serve("127.0.0.9", port=allowed.port)
    by_name = f"http://allowed.test:{allowed.port}/"
    urls = {
        f"http://127.0.0.2:{allowed.port}/": True,
        by_name: True,
        f"http://127.0.0.2:{other_port.port}/": False,
        f"http://127.0.0.9:{allowed.port}/": False,
    }
    result = crawl(
        list(urls),
        allow=f"127.0.0.0/30:{allowed.port}",
        script={"allowed.test": [["127.0.0.2"]]},
    )
    for url, ok in urls.items():
        if ok:
            assert result.response(url)["ip"] == "127.0.0.2"
        else:
            assert result.failure(url)["reason"] == "loopback"
    assert allowed.seen.requests[-1] == ("/", f"allowed.test:{allowed.port}")
    assert other_port.seen.connections == outside.seen.connections == 0


def test_https_connects_to_the_checked_address_with_the_host_as_tls_server_name(
    serve: Any, crawl: Any
) -> None:
    server = serve(tls_name="secure.test")
    url = f"https://secure.test:{server.port}/"
    result = crawl(
        [url], allow=f"127.0.0.1/32:{server.port}", script={"secure.test": [["127.0.0.1"]]}
    )
    assert result.response(url)["body"] == f"hello from port {server.port}"
    assert server.seen.server_names == ["secure.test"]
    assert server.seen.requests == [("/", f"secure.test:{server.port}")]
    assert result.connects == [["127.0.0.1", server.port]]
    assert result.system_lookups == []


def test_an_unreachable_checked_address_falls_back_to_the_next_checked_one(
    serve: Any, crawl: Any
) -> None:
    server = serve()  # nothing listens on 127.0.0.3 at this port
    url = f"http://two.test:{server.port}/"
    result = crawl(
        [url],
        allow=f"127.0.0.0/29:{server.port}",
        script={"two.test": [["127.0.0.3", "127.0.0.1"]]},
    )
    assert result.response(url)["ip"] == "127.0.0.1"
    assert result.connects == [["127.0.0.3", server.port], ["127.0.0.1", server.port]]
    assert result.lookups == {"two.test": 1}


def test_a_kept_alive_connection_is_reused_only_for_the_same_checked_address(
    serve: Any, crawl: Any
) -> None:
    """Two requests to one host answered by two addresses: the second request goes to its own
    checked address, not down the first request's pooled connection."""
    first = serve("127.0.0.1")
    second = serve("127.0.0.2", port=first.port)
    url = f"http://pool.test:{first.port}/"
    result = crawl(
        [url, url, url],
        allow=f"127.0.0.0/29:{first.port}",
        script={"pool.test": [["127.0.0.1"], ["127.0.0.2"], ["127.0.0.1"]]},
    )
    assert [response["ip"] for response in result.responses] == [
        "127.0.0.1",
        "127.0.0.2",
        "127.0.0.1",
    ]
    assert len(first.seen.requests) == 2
    assert first.seen.connections == 1  # the third request reused the first connection
    assert len(second.seen.requests) == 1


def test_the_handler_refuses_to_run_while_other_schemes_bypass_it(serve: Any, crawl: Any) -> None:
    server = serve()
    url = f"http://127.0.0.1:{server.port}/"
    result = crawl(
        [url],
        allow=f"127.0.0.1/32:{server.port}",
        settings={"DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER}},  # ftp, s3, file on
    )
    assert result.failure(url)["type"] == "NotSupported"
    assert "egress guard cannot run while ftp, s3, file" in result.failure(url)["message"]
    assert server.seen.connections == 0


def test_an_allowlisted_ipv6_destination_is_reached_over_ipv6(serve: Any, crawl: Any) -> None:
    try:
        server = serve("::1")
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    url = f"http://v6.test:{server.port}/"
    result = crawl(
        [url, f"http://[::1]:{server.port}/"],
        allow=f"[::1/128]:{server.port}",
        script={"v6.test": [["::1"]]},
    )
    assert [response["ip"] for response in result.responses] == ["::1", "::1"]
    assert server.seen.requests == [("/", f"v6.test:{server.port}"), ("/", f"[::1]:{server.port}")]
    assert result.connects == [["::1", server.port]] * 2
    assert result.system_lookups == []


def test_a_bad_allowlist_fails_every_download_closed(serve: Any, crawl: Any) -> None:
    server = serve()
    url = f"http://127.0.0.1:{server.port}/"
    result = crawl([url], allow=f"127.0.0.1:{server.port}")  # no prefix length
    assert result.failure(url)["type"] == "NotSupported"
    assert "SENTINELLE_EGRESS_ALLOW: bad entry" in result.failure(url)["message"]
    assert server.seen.connections == 0
