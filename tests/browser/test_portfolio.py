"""The portfolio in a real browser, with axe on every page: an improvement director opens the region's portfolio,
sorts it, filters it, compares one measure across the trusts, and drills into a trust (read-only)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.oversight.portfolio.conftest import director, portfolio_trusts, region  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def trust_codes(page) -> list[str]:
    return page.locator("table.wl-portfolio tbody tr").evaluate_all("rows => rows.map(r => r.dataset.trust)")


def expect_trusts(page, codes: list[str]) -> None:
    """The rows are these trusts, in this order: waits (as `expect` does) for the page a click loads, rather than
    reading the rows of the page being left."""
    rows = page.locator("table.wl-portfolio tbody tr")
    expect(rows).to_have_count(len(codes))
    for position, code in enumerate(codes):
        expect(rows.nth(position)).to_have_attribute("data-trust", code)
    assert trust_codes(page) == codes


def test_director_sorts_filters_compares_and_drills_into_a_trust(new_page, director, portfolio_trusts):  # noqa: F811
    page = new_page()
    sign_in(page, director)
    page.get_by_role("link", name="Portfolio", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    check_accessibility(page, "the portfolio")
    expect_trusts(page, ["ZEM01", "ZNF01", "ZSB01"])

    page.get_by_role("link", name=re.compile(r"^Overdue")).click()
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Overdue")
    page.get_by_role("link", name=re.compile(r"^Overdue")).click()
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Overdue")
    expect_trusts(page, ["ZNF01", "ZSB01", "ZEM01"])
    check_accessibility(page, "the portfolio sorted by overdue actions")

    page.get_by_label("Segment").select_option("4")
    page.get_by_role("button", name="Apply filters").click()
    expect_trusts(page, ["ZNF01"])
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Overdue")  # the sort is kept
    page.get_by_label("Trust name or ODS code").fill("southby")
    page.get_by_label("Segment").select_option("")
    page.get_by_role("button", name="Apply filters").click()
    expect_trusts(page, ["ZSB01"])
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator("table.wl-portfolio tbody tr")).to_have_count(3)
    assert len(trust_codes(page)) == 3

    page.get_by_role("link", name="Compare one measure across the portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trajectories across the portfolio")
    expect(page.get_by_role("heading", name=re.compile(r"Special cause improvement"))).to_be_visible()
    check_accessibility(page, "the trajectories page")
    page.get_by_role("link", name="Back to the portfolio").click()

    # the body's own oversight page of the trust (oversight.portfolio.trust_link)
    page.get_by_role("link", name=re.compile(r"^Northfield Hospitals NHS Trust")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northfield Hospitals NHS Trust")
    check_accessibility(page, "the trust's oversight page")
