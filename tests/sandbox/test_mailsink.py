"""The mail sink: a real SMTP server on loopback that keeps, refuses or holds messages."""

from __future__ import annotations

import smtplib
import threading
from email.message import EmailMessage
from pathlib import Path

import pytest

from sentinelle.sandbox.mailsink import MailSink


def _message(number: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "hotline@example.org"
    message["To"] = "abuse@host.example"
    message["Subject"] = f"message {number}"
    message["Message-ID"] = f"<m{number}@example.org>"
    message.set_content(f"body {number}\n")
    return message


def _send(sink: MailSink, number: int) -> None:
    with smtplib.SMTP(sink.host, sink.port, timeout=10) as client:
        client.send_message(_message(number))


def test_keeps_every_message_and_writes_it_to_the_folder(tmp_path: Path) -> None:
    with MailSink(folder=tmp_path) as sink:
        _send(sink, 1)
        _send(sink, 2)
        received = sink.wait_for(2, timeout=10)
    assert [m.message_id for m in received] == ["<m1@example.org>", "<m2@example.org>"]
    assert received[0].rcpt_tos == ("abuse@host.example",)
    assert received[1].subject == "message 2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0001.eml", "0002.eml"]
    assert b"body 2" in (tmp_path / "0002.eml").read_bytes()


@pytest.mark.parametrize(("code", "stage", "error"), [
    (451, "data", smtplib.SMTPDataError),
    (550, "data", smtplib.SMTPDataError),
    (450, "rcpt", smtplib.SMTPRecipientsRefused),
])
def test_fails_the_next_messages_on_demand(code: int, stage: str, error: type[Exception]) -> None:
    with MailSink() as sink:
        sink.fail_next(code, count=1, stage=stage)
        with pytest.raises(error) as raised:
            _send(sink, 1)
        _send(sink, 2)  # only one failure was asked for
        received = sink.wait_for(1, timeout=10)
    answer = raised.value
    got = answer.smtp_code if isinstance(answer, smtplib.SMTPResponseException) else \
        next(iter(answer.recipients.values()))[0]  # type: ignore[attr-defined]
    assert got == code
    assert [m.message_id for m in received] == ["<m2@example.org>"]


def test_holds_a_message_until_released() -> None:
    with MailSink() as sink:
        sink.hold_next()
        sender = threading.Thread(target=_send, args=(sink, 1))
        sender.start()
        assert sink.wait_held(10)
        assert sink.messages == []
        assert [m.message_id for m in sink.held] == ["<m1@example.org>"]
        sink.release()
        sender.join(10)
        assert not sender.is_alive()
        assert [m.message_id for m in sink.wait_for(1, timeout=10)] == ["<m1@example.org>"]


def test_a_held_message_whose_sender_left_is_still_kept() -> None:
    with MailSink() as sink:
        sink.hold_next()
        client = smtplib.SMTP(sink.host, sink.port, timeout=10)
        client.ehlo()
        client.mail("hotline@example.org")
        client.rcpt("abuse@host.example")
        client.putcmd("data")
        assert client.getreply()[0] == 354
        client.send(_message(1).as_bytes().replace(b"\n", b"\r\n") + b"\r\n.\r\n")
        assert sink.wait_held(10)
        client.close()  # the sender dies before the answer (no QUIT)
        assert [m.message_id for m in sink.wait_for(1, timeout=10)] == ["<m1@example.org>"]
        _send(sink, 2)
        received = sink.wait_for(2, timeout=10)
    assert [m.message_id for m in received] == ["<m1@example.org>", "<m2@example.org>"]
    assert [m.message_id for m in sink.held] == ["<m1@example.org>"]


def test_rejects_nonsense_failure_requests() -> None:
    sink = MailSink()
    with pytest.raises(ValueError):
        sink.fail_next(250)
    with pytest.raises(ValueError):
        sink.fail_next(451, stage="helo")
