"""Webhook secrets, by name: notices and the recipient directory store only the name.

The secrets live in a file outside the database (``SENTINELLE_WEBHOOK_SECRETS``), one
``NAME=SECRET`` per line (blank lines and ``#`` comments ignored), readable by sentinelle
only. It is read at each delivery, so a rotated secret is used at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final, Protocol

from sentinelle.config import path_setting
from sentinelle.notices.exceptions import DeliveryConfigError

NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]{0,199}")
MIN_LENGTH: Final = 16


class SecretStore(Protocol):
    def secret(self, name: str) -> str | None: ...


class FileSecrets:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def from_settings(cls) -> FileSecrets:
        return cls(path_setting("SENTINELLE_WEBHOOK_SECRETS", "webhook-secrets"))

    def secret(self, name: str) -> str | None:
        """The secret called ``name``; None when there is none (or no file)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise DeliveryConfigError(f"cannot read the webhook secrets {self.path}: {exc}") from None
        for number, line in enumerate(text.splitlines(), 1):
            entry = line.strip()
            if not entry or entry.startswith("#"):
                continue
            key, equals, value = entry.partition("=")
            if not equals or not NAME.fullmatch(key.strip()):
                raise DeliveryConfigError(f"{self.path} line {number}: expected NAME=SECRET")
            if key.strip() == name:
                return value.strip()
        return None
