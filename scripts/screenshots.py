"""Screenshots of the tipline's public pages for docs/: docs/images/tipline-*.png.

Starts the real ``sentinelle serve`` on a throw-away SQLite database and drives Debian's
Chromium with Playwright (no browser download). Run from the repository:

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshots: Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 3
    data = tempfile.mkdtemp(prefix="sentinelle-screenshots-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("SENTINELLE_")}
    env.update({"SENTINELLE_DATA_DIR": data, "SENTINELLE_SECRET_KEY": "screenshots-only"})
    subprocess.run([sys.executable, "-m", "sentinelle", "migrate"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "sentinelle", "serve", "--bind", "127.0.0.1:0", "--workers", "1"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        ready, _, _ = select.select([server.stdout], [], [], 90)
        url = json.loads(server.stdout.readline())["url"] if ready else ""
        if not url:
            print("screenshots: the server did not start", file=sys.stderr)
            return 3
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 900, "height": 900})
            OUT.mkdir(parents=True, exist_ok=True)
            for language in ("en", "fr"):
                page.goto(f"{url}{language}/")
                shot(page, f"tipline-report-{language}")
            page.goto(f"{url}en/")
            page.check("input[name=category][value=luring]")
            page.check("input[name=danger][value=unsure]")
            page.fill("#urls", "https://chat.example.org/room/9")
            page.fill("#what", "An adult keeps asking children in this room for pictures.")
            page.click("button[type=submit]")
            page.wait_for_selector("#receipt")
            shot(page, "tipline-receipt-en")
            page.goto(f"{url}fr/add/")
            shot(page, "tipline-add-fr")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    return 0


def shot(page: Page, name: str) -> None:
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(path.relative_to(ROOT))


if __name__ == "__main__":
    sys.exit(main())
