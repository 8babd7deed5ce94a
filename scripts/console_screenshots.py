"""Screenshots of the analysts' console for docs/: docs/images/console-*.png.

Seeds a throw-away SQLite database with benign data (scripts/console_seed.py: drawn pictures,
example.net addresses), starts the real ``sentinelle serve`` on it, logs in an analyst and a
supervisor with a password and a TOTP code computed from the enrolment page's key, and drives
Debian's Chromium with Playwright (no browser download). Run from the repository:

    .venv/bin/python scripts/console_screenshots.py
"""

from __future__ import annotations

import json
import logging
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console_seed import SETTINGS, Seeded  # the script beside this one (its folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"
PASSWORD = "screenshots only 2026"
WIDTH = 1280
ACCOUNTS = {"analyst": "cat", "supervisor": "sue"}


@dataclass(frozen=True)
class Shot:
    name: str  #: docs/images/console-NAME.png
    path: str  #: under /en/console/, with {fields} of Seeded
    role: str  #: "analyst" or "supervisor"
    max_height: int = 2400  #: a longer page is cut here (the audit log grows with every run)


SHOTS: tuple[Shot, ...] = (
    Shot("reports-queue", "", "analyst"),
    Shot("report", "reports/{report}/", "analyst"),
    Shot("review-queue", "review/", "analyst"),
    Shot("review-item", "review/media/{review_item}/", "analyst"),
    Shot("disagreements", "review/disagreements/", "supervisor"),
    Shot("disagreement-item", "review/media/{disputed_item}/", "supervisor"),
    Shot("notice", "notices/{notice}/", "supervisor"),
    Shot("referral", "referrals/{referral}/", "analyst", max_height=3400),
    Shot("lists", "lists/", "supervisor"),
    Shot("audit", "audit/", "supervisor", max_height=1500),
)


def address(shot: Shot, seeded: Seeded) -> str:
    """The shot's path under the site, e.g. ``/en/console/reports/TL-…/``."""
    return "/en/console/" + shot.path.format(**seeded.__dict__)


def prepare(data: str) -> Seeded:
    """Migrate and seed the database in ``data`` (in this process, before any browser runs)."""
    os.environ.update({"SENTINELLE_DATA_DIR": data, "SENTINELLE_SECRET_KEY": "screenshots-only", **SETTINGS})
    from sentinelle.cli.database import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from console_seed import seed

    from sentinelle.accounts.services import create_user
    from sentinelle.audit.services import Actor

    logging.disable(logging.WARNING)  # the development outbox logs the notice it "sends", loudly
    try:
        seeded = seed()
    finally:
        logging.disable(logging.NOTSET)
    for role, name in ACCOUNTS.items():
        create_user(name, PASSWORD, role, actor=Actor.user("cli:screenshots"))
    return seeded


def totp(secret: str) -> str:
    import base64

    from django_otp.oath import TOTP

    text = secret.replace(" ", "")
    code = TOTP(base64.b32decode(text + "=" * (-len(text) % 8)), step=30, t0=0, digits=6)
    code.time = time.time()
    return f"{code.token():06d}"


def log_in(browser: Any, url: str, name: str) -> Any:
    tab = browser.new_context(viewport={"width": WIDTH, "height": 480}).new_page()
    tab.goto(f"{url}en/accounts/login/")
    tab.fill("#id_username", name)
    tab.fill("#id_password", PASSWORD)
    tab.get_by_role("button", name="Continue").click()
    tab.fill("#id_code", totp(tab.locator("#otp-secret").inner_text()))
    tab.get_by_role("button", name="Confirm").click()
    tab.wait_for_load_state("load")
    return tab


def take(tab: Any, url: str, shot: Shot, seeded: Seeded) -> None:
    answer = tab.goto(url.rstrip("/") + address(shot, seeded))
    if answer is None or answer.status != 200:
        raise SystemExit(f"screenshots: {address(shot, seeded)} answered {answer.status if answer else None}")
    tab.wait_for_load_state("load")
    height = min(shot.max_height, int(tab.evaluate("document.documentElement.scrollHeight")))
    path = OUT / f"console-{shot.name}.png"
    tab.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": height})
    optimise(path)
    print(path.relative_to(ROOT))


def optimise(path: Path) -> None:
    """At most 256 colours (plenty for text on flat backgrounds), compressed harder: a third of
    the size Chromium writes."""
    from PIL import Image

    with Image.open(path) as shot:
        fewer = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    fewer.save(path, optimize=True)


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshots: Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 3
    data = tempfile.mkdtemp(prefix="sentinelle-console-screenshots-")
    try:
        return run(chromium, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def run(chromium: str, data: str) -> int:
    for name in [k for k in os.environ if k == "DATABASE_URL" or k.startswith("SENTINELLE_")]:
        del os.environ[name]
    seeded = prepare(data)
    server = subprocess.Popen([sys.executable, "-m", "sentinelle", "serve", "--bind", "127.0.0.1:0", "--workers", "1"],
                              env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        ready, _, _ = select.select([server.stdout], [], [], 90)
        url = json.loads(server.stdout.readline())["url"] if ready else ""
        if not url:
            print("screenshots: the server did not start", file=sys.stderr)
            return 3
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            tabs = {role: log_in(browser, url, name) for role, name in ACCOUNTS.items()}
            OUT.mkdir(parents=True, exist_ok=True)
            for shot in SHOTS:
                take(tabs[shot.role], url, shot, seeded)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
