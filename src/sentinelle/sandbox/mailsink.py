"""A local SMTP server that keeps every message: the mail sink of tests and the demo.

It runs aiosmtpd on a loopback address, in a thread of its own, and stores each message it
accepts (and, given a folder, writes it there as ``NNNN.eml``). On demand it answers the
next messages with a temporary (4xx) or permanent (5xx) failure, or holds the next
message's DATA without answering until :meth:`MailSink.release`, so a test can stop a
sender in the middle of a send. A held message is kept even if its sender goes away before
the answer (a real server that had queued it would deliver it): that sender, trying again,
makes a duplicate, which is what at-least-once delivery looks like.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import cast

from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    message: EmailMessage = field(repr=False)

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"] or "")

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")


@dataclass
class _Failure:
    code: int
    count: int
    stage: str


class MailSink:
    """``with MailSink() as sink:`` ... ``sink.url`` is ``smtp://127.0.0.1:PORT``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, folder: Path | None = None) -> None:
        self.host, self.port, self.folder = host, port, folder
        self._lock = threading.Lock()
        self._messages: list[ReceivedMail] = []
        self._held: list[ReceivedMail] = []
        self._failures: list[_Failure] = []
        self._hold_next = False
        self._holding = threading.Event()
        self._arrived = threading.Condition(self._lock)
        self._loop = asyncio.new_event_loop()
        self._release: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> MailSink:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="mail-sink", daemon=True)
        self._thread.start()
        if not ready.wait(10) or self._server is None:
            raise RuntimeError(f"the mail sink did not start on {self.host}")
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        self.release()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # What a test asks of it.

    @property
    def messages(self) -> list[ReceivedMail]:
        """The messages kept, in order: answered 250, or held and then left by the sender."""
        with self._lock:
            return list(self._messages)

    @property
    def held(self) -> list[ReceivedMail]:
        """The messages whose DATA was held (each is also kept, once released or left)."""
        with self._lock:
            return list(self._held)

    def fail_next(self, code: int, count: int = 1, *, stage: str = "data") -> None:
        """Answer the next ``count`` messages with ``code`` at ``stage`` ("rcpt" or "data")."""
        if not 400 <= code < 600 or stage not in ("rcpt", "data"):
            raise ValueError("a failure is a 4xx or 5xx code at the rcpt or data stage")
        with self._lock:
            self._failures.append(_Failure(code, count, stage))

    def hold_next(self) -> None:
        """Do not answer the next message's DATA until :meth:`release`."""
        with self._lock:
            self._hold_next = True
            self._holding.clear()

    def wait_held(self, timeout: float) -> bool:
        """Wait until a message is being held."""
        return self._holding.wait(timeout)

    def release(self) -> None:
        release = self._release
        if release is not None:
            self._loop.call_soon_threadsafe(release.set)

    def wait_for(self, count: int, timeout: float) -> list[ReceivedMail]:
        """The accepted messages, once there are at least ``count`` (or when time is up)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self._messages) >= count, timeout)
            return list(self._messages)

    # The server side.

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._release = asyncio.Event()

        def protocol() -> SMTP:
            return SMTP(self, hostname="mail-sink.invalid", loop=self._loop)

        try:
            self._server = self._loop.run_until_complete(self._loop.create_server(protocol, self.host, self.port))
            self.port = int(self._server.sockets[0].getsockname()[1])
        finally:
            ready.set()
        self._loop.run_forever()
        self._server.close()
        self._loop.run_until_complete(self._server.wait_closed())
        self._loop.close()

    def _failure(self, stage: str) -> str | None:
        with self._lock:
            for failure in self._failures:
                if failure.stage == stage and failure.count > 0:
                    failure.count -= 1
                    text = "try again later" if failure.code < 500 else "rejected"
                    return f"{failure.code} {failure.code // 100}.0.0 {text}"
        return None

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          options: list[str]) -> str:
        failure = self._failure("rcpt")
        if failure:
            return failure
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        failure = self._failure("data")
        if failure:
            return failure
        raw = cast(bytes, envelope.original_content or envelope.content)
        mail = ReceivedMail(
            str(envelope.mail_from), tuple(envelope.rcpt_tos), raw,
            message_from_bytes(raw, policy=policy.default),
        )
        with self._lock:
            hold, self._hold_next = self._hold_next, False
        if hold:
            assert self._release is not None
            self._release.clear()
            with self._lock:
                self._held.append(mail)
            self._holding.set()
            try:
                await self._release.wait()
            except asyncio.CancelledError:
                # The sender went away before the answer. The server has the whole message,
                # so, like a real one that had queued it, it still delivers it.
                self._accept(mail)
                raise
        self._accept(mail)
        return "250 OK: kept"

    def _accept(self, mail: ReceivedMail) -> None:
        with self._arrived:
            self._messages.append(mail)
            number = len(self._messages)
            self._arrived.notify_all()
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{number:04d}.eml").write_bytes(mail.data)


__all__ = ["MailSink", "ReceivedMail"]
