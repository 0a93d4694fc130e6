"""What the browser journeys share: signing in through the real page, and axe on every page visited."""

from __future__ import annotations

import re
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import Page, expect
from tests.factories import PASSWORD

# The axe-core build that axe-playwright-python ships; injected with page.evaluate (DevTools evaluation is not
# subject to the page's content security policy, so the pages are checked under the policy they really have).
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def format_violations(violations: list[dict], where: str) -> str:
    """Axe's violations as a reader would want them: rule, impact, help link, then each offending element."""
    lines = [f"axe found {len(violations)} WCAG 2.2 AA violation(s) on {where}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {', '.join(str(t) for t in node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"       {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def check_accessibility(page: Page, where: str = "") -> None:
    """Run axe (WCAG 2.0/2.1/2.2 A and AA rules) on the page as it stands; fail listing every violation."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    violations = results["violations"]
    if violations:
        pytest.fail(format_violations(violations, where or page.url), pytrace=False)


def sign_in(page: Page, user, *, next_path: str = "", accessibility: bool = True) -> None:
    """Sign in through the real sign-in page, as the person would, checking that page too.

    Pass accessibility=False in a context without JavaScript: axe cannot run there.
    """
    page.goto("/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Wellled")
    if accessibility:
        check_accessibility(page, "the sign-in page")
    page.get_by_label("Username or e-mail address").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
