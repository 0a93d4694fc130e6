"""Take the README's screenshots (dashboard, plan page, action page) from the demo, in Debian's chromium.

Run by hand from the repository root:

    python tests/browser/screenshots.py                 # prepares a throwaway demo and serves it itself
    python tests/browser/screenshots.py --base-url http://127.0.0.1:8000   # an already running `wellled demo`

The images go to docs/images/ (full page, 1280 pixels wide). Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_USERNAME = "grace.mcallister"  # the demo's head of corporate governance
DEMO_PASSWORD = "wellled-demo-2026"
SELF_REVIEW_PLAN = "Well-led self-review 2025/26"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_server():
    """A fresh demo (own data directory) served by `wellled demo` on a free port, stopped afterwards."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="wellled-shots-") as data_dir:
        env = {**os.environ, "WELLLED_DEBUG": "1", "WELLLED_DATA_DIR": data_dir}
        env.pop("WELLLED_DATABASE_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "wellled", "demo", "--addrport", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"`wellled demo` stopped:\n{server.stderr.read()}")
                try:
                    urllib.request.urlopen(base_url + "/accounts/login/", timeout=2)  # noqa: S310
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("`wellled demo` did not start serving within 5 minutes") from None
                    time.sleep(1)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def take(base_url: str, out: Path, username: str, password: str) -> list[Path]:
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("Install Debian's chromium first: apt-get install -y chromium")
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base_url, viewport={"width": 1280, "height": 900})
        page.goto("/accounts/login/")
        page.get_by_label("Username or e-mail address").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

        def shot(name: str) -> None:
            page.wait_for_load_state("networkidle")
            path = out / name
            page.screenshot(path=str(path), full_page=True)
            shots.append(path)

        page.goto("/")
        shot("dashboard.png")
        page.goto("/plans/")
        page.get_by_role("link", name=SELF_REVIEW_PLAN).click()
        shot("plan-page.png")
        # An action with a slipped timescale and a history of updates shows the most of the action page.
        slipped = page.locator("tr[id^=action-]").filter(has=page.locator(".wl-timescale")).first
        slipped.get_by_role("link").first.click()
        shot("action-page.png")
        browser.close()
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="an already running demo; default: start a throwaway one")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--username", default=DEMO_USERNAME)
    parser.add_argument("--password", default=DEMO_PASSWORD)
    args = parser.parse_args()
    if args.base_url:
        shots = take(args.base_url, args.out, args.username, args.password)
    else:
        with demo_server() as base_url:
            shots = take(base_url, args.out, args.username, args.password)
    for path in shots:
        print(path)


if __name__ == "__main__":
    main()
