"""Browser fixtures: one Debian chromium for the session, a fresh context per test, against live_server.

Playwright's own browser download cannot work here (no network), so the tests drive Debian's `chromium`. Without
it they fail, with a message saying how to install it; set WELLLED_SKIP_BROWSER=1 to skip them instead.
"""

from __future__ import annotations

import os
import shutil

import pytest

# The sync Playwright API runs an event loop in the test thread; Django would otherwise refuse the ORM calls the
# tests make there to build their data.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    # Without these chromium tries to reach the network (closed here) and the tests wait on it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}

# The vendored NHS.UK frontend stylesheet names the Frutiger web fonts on assets.nhs.uk; the policy (only our own
# origin) blocks them, as it should (the font is licensed for nhs.uk services only), and the text falls back to
# Arial as the stylesheet intends. That one expected refusal is not a problem; any other policy violation is.
EXPECTED_CSP_REFUSALS: tuple[str, ...] = ()  # none: the vendored stylesheet loads no web fonts


def _is_problem(message) -> bool:
    text = message.text
    return (
        message.type == "error"
        and "Content Security Policy" in text
        and not text.startswith(EXPECTED_CSP_REFUSALS)
    )


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, started once for the session."""
    if os.environ.get("WELLLED_SKIP_BROWSER") == "1":
        pytest.skip("WELLLED_SKIP_BROWSER=1: browser tests skipped")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "The browser tests need Debian's chromium on PATH: run `apt-get install -y chromium` "
            "(bash .ci/run installs it), or set WELLLED_SKIP_BROWSER=1 to skip them.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """Open a page in a fresh browser context (its own cookies: one person) against the live server.

    Script errors and content-security-policy violations on any page fail the test: the pages must work
    under the policy they are served with.
    """
    contexts = []
    problems: list[str] = []

    def _new_page(**options):
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
        page.on(
            "console",
            lambda message: problems.append(f"{page.url}: {message.text}") if _is_problem(message) else None,
        )
        return page

    yield _new_page
    for context in contexts:
        context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)
