"""Starting Django for the commands that use the database."""

from __future__ import annotations

import getpass
import os

from sentinelle.audit.actions import ActorKind


def setup_django() -> None:
    """Configure Django from the environment (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentinelle.settings")
    import django

    django.setup()


def cli_actor() -> tuple[ActorKind, str]:
    """Who runs a command-line change: the operating-system user, as ``cli:NAME``."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return ActorKind.USER, f"cli:{name}"
