"""Every page each demo role can reach fits a 390-pixel phone and a 1,280-pixel desktop, and passes axe (issue 27).

The demo is loaded once; each role signs in through the real sign-in page and follows same-origin links from
where it lands, breadth first. Each kind of page (URL name) is visited twice by the first role that meets it and
once by each later role, so the crawl covers every kind of page without visiting all 32 actions. On each page,
with every <details> opened (what it hides must fit too):

- at 390 × 844 the page must not be wider than the window (document.documentElement.scrollWidth > innerWidth):
  a wide table scrolls inside its own labelled region (macros/layout.jinja), never the page;
- axe (WCAG 2.2 AA and its best practices, landmarks among them) finds no violation of moderate impact or above;
- at 1,280 × 900 the page must not be wider than the window either.

A link to no page, an error status and a script error are problems too. Every problem on every page is collected
and reported together, each naming the role, the page and the elements that stick out, so one run shows
everything left to fix. docs/development.md ("Pages that fit a phone").
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Page, expect
from tests.browser.helpers import AXE_OPTIONS, AXE_SOURCE, format_violations, sign_in

from wellled.demo.steps import demo_run

# Its own group: under `pytest -n 2 --dist loadgroup` it runs beside the other browser tests, not after them.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("every-page")]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "wellled-demo-2026"  # published in docs/demo.md

# One demo person per role, the one who reaches most first: the administrator, the governance editor, a lead, a
# viewer (a non-executive) and the region's improvement director (an oversight body's governance editor).
ROLES = {
    "administrator": "sian.okafor",
    "governance editor": "grace.mcallister",
    "lead": "ruth.danso",
    "viewer": "helen.fairbrother",
    "oversight": "nadia.bellamy",
}
# Distinct URLs per URL name and role: two (a full and a sparse record, say); one if an earlier role met that
# page already (a role changes the buttons on a page, seldom its width). The crawl stays within a few minutes.
VISITS_PER_PAGE = 2
VISITS_PER_PAGE_MET = 1

# Not pages: files, signing out, switching organisation (a form's target), the machine API and sign-on hand-offs.
NOT_PAGES = re.compile(
    r"^(logout|organisation-switch|openid_connect_.*|api-(?!tokens$).*|.*-(download|file|csv|png|export)"
    r"|plan-import-example|evidence-download|oversight-evidence-open|measure-chart-png|measure-data-csv"
    r"|risk-export|word-template-download|health)$"
)
# Files by their address, whatever their URL name (a draft paper, a register's workbook): `/….xlsx`, `/….pdf`.
FILE_PATH = re.compile(r"\.(pdf|docx|xlsx|csv|png|svg|html|ics|zip)$")
IMPACTS = {"moderate", "serious", "critical"}
# WCAG 2.2 AA as every browser test checks it, and axe's best practices too: among them "region" (all content
# inside landmarks: the back link was outside any) and the landmark rules.
CRAWL_AXE_OPTIONS = {
    **AXE_OPTIONS,
    "runOnly": {"type": "tag", "values": [*AXE_OPTIONS["runOnly"]["values"], "best-practice"]},
}

# The elements that stick out of the window: each the outermost that does (its parent fits), named as CSS would.
OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth;
  const page = document.documentElement.scrollWidth;
  if (page <= width) return null;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + Array.from(el.classList).slice(0, 2).map(c => '.' + c).join('');
  const sticks = el => el.getBoundingClientRect().right > width + 0.5;
  const scrolled = el => {  // inside a box of its own that scrolls or clips: not what widens the page
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (out.length >= 6) break;
    if (sticks(el) && el.parentElement && !sticks(el.parentElement) && !scrolled(el)) {
      const r = el.getBoundingClientRect();
      out.push(`${name(el)} (${Math.round(r.width)}px wide, to ${Math.round(r.right)}px) in `
        + `${name(el.parentElement)}: "${(el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60)}"`);
    }
  }
  return {page, width, out};
}"""


@dataclass
class Crawl:
    """One role's walk: what is queued, how often each page was met, and the problems found."""

    role: str
    origin: str
    met: Counter = field(default_factory=Counter)  # visits per URL name by the roles before this one
    seen: set[str] = field(default_factory=set)
    per_name: Counter = field(default_factory=Counter)
    queue: deque = field(default_factory=deque)
    problems: list[str] = field(default_factory=list)
    visited: int = 0

    def offer(self, href: str) -> None:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin or url in self.seen:
            return
        try:
            name = resolve(parts.path).url_name or parts.path
        except Resolver404:
            self.seen.add(url)
            self.problems.append(f"[{self.role}] a link to {parts.path}, which is no page")
            return
        limit = VISITS_PER_PAGE_MET if self.met[name] else VISITS_PER_PAGE
        if NOT_PAGES.match(name) or FILE_PATH.search(parts.path) or self.per_name[name] >= limit:
            return
        self.seen.add(url)
        self.per_name[name] += 1
        self.queue.append(url)


def _overflow(page: Page, crawl: Crawl, url: str, width: str) -> None:
    found = page.evaluate(OVERFLOW_SCRIPT)
    if found:
        sticking = "\n      ".join(found["out"]) or "(no single element: margins?)"
        crawl.problems.append(
            f"[{crawl.role}] {url} is {found['page']}px wide in a {found['width']}px window ({width}):\n      {sticking}"
        )


def _check(page: Page, crawl: Crawl, url: str) -> None:
    """The page at a phone's width (overflow, axe), then at a desktop's (overflow); the viewport left at phone."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    _overflow(page, crawl, url, "phone")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    violations = [
        v
        for v in page.evaluate("options => window.axe.run(document, options)", CRAWL_AXE_OPTIONS)[
            "violations"
        ]
        if v.get("impact") in IMPACTS
    ]
    if violations:
        crawl.problems.append(f"[{crawl.role}] " + format_violations(violations, url))
    page.set_viewport_size(DESKTOP)
    _overflow(page, crawl, url, "desktop")
    page.set_viewport_size(PHONE)


def _walk(page: Page, crawl: Crawl) -> None:
    while crawl.queue:
        url = crawl.queue.popleft()
        print(f"[{crawl.role}] {url}", flush=True)  # shown with -s: where a slow or stuck crawl is
        response = page.goto(url)
        crawl.visited += 1
        if response is None or response.status >= 400:
            status = response.status if response else "no response"
            crawl.problems.append(f"[{crawl.role}] {url} answered {status}")
            continue
        if "text/html" not in (response.header_value("content-type") or ""):
            continue
        _check(page, crawl, url)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            crawl.offer(href)


def _sign_in(page: Page, crawl: Crawl, username: str) -> None:
    page.goto("/accounts/login/")
    _check(page, crawl, "the sign-in page")
    page.get_by_label("Username or e-mail address").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_every_page_fits_a_phone_and_a_desktop_and_passes_axe(browser, live_server, transactional_db):
    demo_run()
    print("demo loaded", flush=True)
    problems: list[str] = []
    visited = 0
    met: Counter = Counter()
    for role, username in ROLES.items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            page.on(
                "pageerror",
                lambda error, role=role, page=page: problems.append(f"[{role}] {page.url}: {error}"),
            )
            crawl = Crawl(role=role, origin=live_server.url, met=met.copy())
            _sign_in(page, crawl, username)
            crawl.offer(page.url)
            _walk(page, crawl)
        finally:
            context.close()
        problems.extend(crawl.problems)
        visited += crawl.visited
        met.update(crawl.per_name)
        # Every role reaches a good number of pages: a crawl that stopped at the landing page proves nothing.
        assert crawl.visited >= 10, f"{role} reached only {crawl.visited} pages: {sorted(crawl.per_name)}"
    assert not problems, f"{len(problems)} problem(s) on {visited} pages:\n" + "\n".join(problems)


def test_on_a_phone_a_lead_reaches_my_actions_from_the_menu_and_records_an_update_from_it(
    new_page, lead, plan
):
    """The page a reminder sends a lead to: first in the menu (not under "More"), every row's link in reach."""
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, lead)
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="My actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    links = page.get_by_role("link", name=re.compile(r"^Record an update"))
    assert links.count() >= 1
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    links.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a progress update")
