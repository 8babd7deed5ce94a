"""The one place the delivery channels are chosen, from the settings.

``SENTINELLE_SMTP_URL`` set: mail through that server and real webhook POSTs (through the
egress guard, over the installed wiring's resolver: :mod:`sentinelle.notices.wiring`). Unset:
development mode, both channels only log what they would send (and say so loudly).
"""

from __future__ import annotations

import logging

from sentinelle.config import setting
from sentinelle.notices import configuration, wiring
from sentinelle.notices.delivery.base import Channels
from sentinelle.notices.delivery.console import ConsoleMail, ConsoleWebhook
from sentinelle.notices.delivery.smtp import SmtpMail, SmtpServer
from sentinelle.notices.delivery.webhook import HttpWebhook
from sentinelle.notices.secrets import FileSecrets

logger = logging.getLogger(__name__)


def channels() -> Channels:
    """The channels the settings ask for (:class:`DeliveryConfigError` on a bad URL)."""
    url = (setting("SENTINELLE_SMTP_URL") or "").strip()
    if not url:
        logger.warning("SENTINELLE_SMTP_URL is not set: notices are logged, NOT sent (development mode)")
        return Channels(email=ConsoleMail(), webhook=ConsoleWebhook())
    timeout = configuration.send_timeout()
    webhook = HttpWebhook(timeout, FileSecrets.from_settings(), wiring.current().resolver)
    return Channels(email=SmtpMail(SmtpServer.from_url(url), timeout), webhook=webhook)


def development_mode() -> bool:
    return not (setting("SENTINELLE_SMTP_URL") or "").strip()
