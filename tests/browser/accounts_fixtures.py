"""Helpers of the account browser tests (kept out of conftest.py: a module named ``conftest``
is ambiguous when several test folders have one and run together)."""

from __future__ import annotations

import base64
import time
from typing import Any

from django_otp.oath import TOTP


def axe_problems(tab: Any) -> list[str]:
    """axe-core's serious and critical violations on the tab's page (empty when none)."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(tab).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in found if v.get("impact") in ("serious", "critical")]


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app given ``secret`` (base32, spaces allowed) shows; each code is
    accepted once, so a second login uses the next period's."""
    text = secret.replace(" ", "")
    totp = TOTP(base64.b32decode(text + "=" * (-len(text) % 8)), step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"
