"""Development channels: they log what would be sent, loudly, and send nothing."""

from __future__ import annotations

import logging

from sentinelle.notices.delivery.base import Envelope, Outcome, Result

logger = logging.getLogger(__name__)

WARNING = "SENTINELLE_SMTP_URL is not set: notice {reference} is NOT sent by {channel}, only logged"


class ConsoleMail:
    name = "email"

    def deliver(self, envelope: Envelope) -> Result:
        content = envelope.content
        logger.warning(WARNING.format(reference=envelope.reference, channel="email"))
        logger.warning(
            "To: %s\nMessage-ID: %s\nSubject: %s\n\n%s", envelope.email, envelope.message_id,
            content["subject"], content["body"],
        )
        return Result(Outcome.CONSOLE, "development mode: logged, not sent")


class ConsoleWebhook:
    name = "webhook"

    def deliver(self, envelope: Envelope) -> Result:
        logger.warning(WARNING.format(reference=envelope.reference, channel="webhook"))
        logger.warning("POST %s\n%s", envelope.webhook_url, envelope.content["webhook"])
        return Result(Outcome.CONSOLE, "development mode: logged, not sent")
