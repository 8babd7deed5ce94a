"""Keeping capability links out of the logs: the token in a response link is a password."""

from __future__ import annotations

import logging
import re
from typing import Final

#: Paths whose next segment is a secret (a signed link): logged as ``/respond/[link]/``.
CAPABILITY_PATH: Final = re.compile(r"(/respond/)[^/\s?#\"']+")


def redact(text: str) -> str:
    return CAPABILITY_PATH.sub(r"\1[link]", text)


class RedactCapabilityLinks(logging.Filter):
    """A logging filter: the record's message, formatted, with every capability token hidden."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
