"""Webhooks go through the crawler's egress guard: loopback, private, link-local and metadata
addresses are refused (nothing is sent, the notice fails for good with the reason) unless
``SENTINELLE_EGRESS_ALLOW`` names them; names are resolved once, by the resolver hook, and
the connection goes to the checked address; redirects are not followed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from ipaddress import ip_address

import pytest
from notices_support import T0, actions, item, recipient, webhook_receiver

from sentinelle.audit.services import Actor
from sentinelle.cli.main import main
from sentinelle.notices import wiring
from sentinelle.notices.delivery.webhook import MAX_ANSWER
from sentinelle.notices.models import DeliveryAttempt, Notice
from sentinelle.notices.outbox import deliver
from sentinelle.notices.services import add_items
from sentinelle.resolver import Address, Resolver, UnknownHost

pytestmark = pytest.mark.django_db
HOOK_HOST = "hooks.partner.test"


@pytest.fixture(autouse=True)
def no_exceptions(monkeypatch: pytest.MonkeyPatch) -> None:
    """No egress exception but the ones a test (or its receiver) adds."""
    monkeypatch.delenv("SENTINELLE_EGRESS_ALLOW", raising=False)


class TableResolver(Resolver):
    """Host name -> address from a table the test fills; any other name is unknown."""

    blocking = False

    def __init__(self) -> None:
        self.table: dict[str, str] = {}

    def resolve(self, host: str) -> list[Address]:
        if host not in self.table:
            raise UnknownHost(host, "not in the test's table")
        return [ip_address(self.table[host])]


@pytest.fixture
def names() -> Iterator[dict[str, str]]:
    """The resolver hook the delivery uses (never real DNS): the test fills its table."""
    resolver = TableResolver()
    previous = wiring.install(wiring.Wiring(resolver))
    yield resolver.table
    wiring.install(previous)


def _notice(system: Actor, url: str) -> Notice:
    intake = add_items(recipient(email="", webhook_url=url), [item(1)], actor=system, now=T0)
    assert intake.notice is not None
    return intake.notice


def _failed_for_good(notice: Notice, reason: str) -> None:
    notice.refresh_from_db()
    assert (notice.status, notice.webhook_state) == ("failed", "failed")
    assert reason in notice.last_error
    [attempt] = DeliveryAttempt.objects.filter(notice=notice)
    assert attempt.outcome == "permanent" and reason in attempt.detail
    assert actions(str(notice.reference))[-1] == "notice:fail"


def test_an_allowed_receiver_gets_the_signed_notice(sink: object, system: Actor) -> None:
    with webhook_receiver() as receiver:
        notice = _notice(system, receiver.url)
        assert deliver(notice.pk, worker="worker-1") == "sent"
    [delivery] = receiver.received
    assert delivery.signature_ok and delivery.payload["reference"] == notice.reference
    assert DeliveryAttempt.objects.get().detail == "HTTP 200 thanks"


def test_a_name_is_resolved_once_by_the_hook_and_the_checked_address_is_used(
    sink: object, system: Actor, names: dict[str, str]
) -> None:
    names[HOOK_HOST] = "127.0.0.1"  # not in system DNS: only the hook knows it
    with webhook_receiver() as receiver:
        notice = _notice(system, f"http://{HOOK_HOST}:{receiver.port}/hooks")
        assert deliver(notice.pk, worker="worker-1") == "sent"
    [delivery] = receiver.received
    assert delivery.signature_ok and delivery.headers["Host"] == f"{HOOK_HOST}:{receiver.port}"


def test_loopback_without_the_allowlist_is_refused_and_nothing_is_sent(
    sink: object, system: Actor, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with webhook_receiver(allowed=False) as receiver:
        monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", f"127.0.0.1/32:{receiver.port + 1}")  # another port
        notice = _notice(system, receiver.url)
        assert deliver(notice.pk, worker="worker-1") == "failed"
        assert receiver.received == []
    _failed_for_good(notice, "egress refused (loopback")
    assert main(["notices", "list", "--failed", "--json"]) == 0
    [listed] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert listed["reference"] == notice.reference and listed["last_error"].startswith("webhook: egress refused")


@pytest.mark.parametrize(("address", "reason"), [
    ("10.20.30.40", "private"), ("169.254.169.254", "metadata"), ("127.0.0.1", "loopback"),
])
def test_a_name_resolving_inside_is_refused(
    sink: object, system: Actor, names: dict[str, str], address: str, reason: str
) -> None:
    names[HOOK_HOST] = address
    with webhook_receiver(allowed=False) as receiver:
        notice = _notice(system, f"http://{HOOK_HOST}:{receiver.port}/hooks")
        assert deliver(notice.pk, worker="worker-1") == "failed"
        assert receiver.received == []
    _failed_for_good(notice, f"egress refused ({reason}")
    assert f"-> {address}" in DeliveryAttempt.objects.get().detail


@pytest.mark.parametrize(("url", "reason"), [
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://[::1]:8080/hook", "loopback"),
    ("http://192.168.1.10/hook", "private"),
    ("http://0x7f000001/hook", "loopback"),  # read as a browser would: 127.0.0.1
])
def test_addresses_inside_are_refused_before_connecting(sink: object, system: Actor, url: str, reason: str) -> None:
    notice = _notice(system, url)
    assert deliver(notice.pk, worker="worker-1") == "failed"
    _failed_for_good(notice, f"egress refused ({reason}")


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_inside_is_not_followed(sink: object, system: Actor, status: int) -> None:
    with webhook_receiver(allowed=False) as inside, webhook_receiver() as receiver:
        receiver.answers, receiver.location = [status], inside.url
        notice = _notice(system, receiver.url)
        assert deliver(notice.pk, worker="worker-1") == "failed"
        assert len(receiver.received) == 1 and inside.received == []
    _failed_for_good(notice, f"HTTP {status}")
    assert f"(redirect to {inside.url} not followed)" in notice.last_error


def test_an_unknown_name_is_temporary(sink: object, system: Actor, names: dict[str, str]) -> None:
    notice = _notice(system, f"http://{HOOK_HOST}/hooks")
    assert deliver(notice.pk, worker="worker-1") == "retrying"
    assert DeliveryAttempt.objects.get().outcome == "temporary"


def test_an_oversized_answer_is_cut_off(sink: object, system: Actor) -> None:
    with webhook_receiver() as receiver:
        receiver.answer_body = b"x" * (MAX_ANSWER + 1)
        notice = _notice(system, receiver.url)
        assert deliver(notice.pk, worker="worker-1") == "failed"
    _failed_for_good(notice, "the receiver's answer is too large")


def test_a_bad_allowlist_is_a_permanent_failure_that_names_it(
    sink: object, system: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENTINELLE_EGRESS_ALLOW", "127.0.0.1/8:80")
    notice = _notice(system, "https://hooks.example.net/in")
    assert deliver(notice.pk, worker="worker-1") == "failed"
    _failed_for_good(notice, "SENTINELLE_EGRESS_ALLOW")
