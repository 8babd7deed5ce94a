"""Mail through an SMTP server, with Django's SMTP backend.

A reply in the 4xx range, a refused or dropped connection, a timeout or a refused login are
temporary (the notice is sent again later); a 5xx reply to the sender, the recipient or the
message is permanent. The message carries the notice's own Message-ID, so every resend is
recognisably the same message.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.utils import formataddr
from typing import Final
from urllib.parse import unquote, urlsplit

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend

from sentinelle.notices.delivery.base import Envelope, Outcome, Result
from sentinelle.notices.exceptions import DeliveryConfigError

_SCHEMES: Final = {"smtp": ("", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    security: str  #: "", "starttls" or "tls"
    username: str = ""
    password: str = ""

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """``smtp://HOST:PORT``, ``smtp+starttls://...`` or ``smtps://...``, login optional."""
        parts = urlsplit(url.strip())
        if parts.scheme not in _SCHEMES or not parts.hostname:
            raise DeliveryConfigError(
                f"SENTINELLE_SMTP_URL must look like smtp://HOST:PORT, smtp+starttls://HOST:PORT "
                f"or smtps://HOST:PORT, got {url!r}"
            )
        security, default_port = _SCHEMES[parts.scheme]
        try:
            port = parts.port or default_port
        except ValueError:
            raise DeliveryConfigError(f"SENTINELLE_SMTP_URL has a bad port: {url!r}") from None
        return cls(parts.hostname, port, security, unquote(parts.username or ""), unquote(parts.password or ""))


class SmtpMail:
    name = "email"

    def __init__(self, server: SmtpServer, timeout: float) -> None:
        self.server = server
        self.timeout = timeout

    def deliver(self, envelope: Envelope) -> Result:
        content = envelope.content
        headers = {
            "Message-ID": envelope.message_id,
            "Content-Language": content["language"],
            "X-Sentinelle-Reference": envelope.reference,
        }
        if content["in_reply_to"]:
            headers.update({"In-Reply-To": content["in_reply_to"], "References": content["in_reply_to"]})
        message = EmailMessage(
            subject=content["subject"], body=content["body"],
            from_email=formataddr((envelope.sender.org, envelope.sender.address)),
            to=[envelope.email], headers=headers,
        )
        for attachment in content["attachments"]:
            # JSON is UTF-8 (RFC 8259): handed over as text, Django would encode a non-text
            # part in its default charset and mangle a French report.
            content = attachment["content"]
            data = content.encode("utf-8") if isinstance(content, str) else content
            message.attach(attachment["filename"], data, attachment["content_type"])
        backend = EmailBackend(
            host=self.server.host, port=self.server.port, username=self.server.username,
            password=self.server.password, use_tls=self.server.security == "starttls",
            use_ssl=self.server.security == "tls", timeout=self.timeout, fail_silently=False,
        )
        try:
            backend.send_messages([message])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            return _by_code(min(codes) if codes else 550, f"recipient refused: {exc.recipients}")
        except smtplib.SMTPAuthenticationError as exc:
            return Result(Outcome.TEMPORARY, f"the mail server refused our login ({exc.smtp_code}): check SENTINELLE_SMTP_URL")
        except smtplib.SMTPResponseException as exc:
            return _by_code(exc.smtp_code, f"{exc.smtp_code} {_text(exc.smtp_error)}")
        except (smtplib.SMTPException, OSError) as exc:
            return Result(Outcome.TEMPORARY, f"{type(exc).__name__}: {exc}")
        return Result(Outcome.SENT, f"accepted by {self.server.host}:{self.server.port}")


def _by_code(code: int, detail: str) -> Result:
    return Result(Outcome.PERMANENT if 500 <= code < 600 else Outcome.TEMPORARY, detail)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
