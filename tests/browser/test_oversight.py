"""The improvement director opens a portfolio trust's oversight page, records a judgement of an exit criterion and
sees it as the latest; then the trust's own people see it on their Oversight page, without the director's notes.
Axe on every page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.oversight.conftest import days_ago, director, entry, records, region  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_improvement_director_judges_an_exit_criterion(new_page, records, director, org, viewer):  # noqa: F811
    criterion = records["criterion"]
    page = new_page()
    sign_in(page, director)
    page.goto(reverse("oversight-trust", args=[org.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(org.name)
    check_accessibility(page, "the trust's oversight page")

    page.get_by_role("link", name=f"Record a judgement of {criterion.reference}").click()
    check_accessibility(page, "the judgement form")
    page.get_by_role("button", name="Record the judgement").click()  # nothing chosen: the errors say what
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_accessibility(page, "the judgement form with errors")
    page.get_by_label("Met", exact=True).check()
    page.get_by_label("Reasons").fill(
        "Every executive post is now filled substantively; the board has met in full."
    )
    page.get_by_role("button", name="Record the judgement").click()

    expect(page.get_by_text(f"{criterion.reference} judged met.")).to_be_visible()
    card = page.locator(f"#criterion-{criterion.pk}")
    expect(card.locator(".wl-latest-judgement")).to_contain_text("Met")
    expect(card.get_by_text("Every executive post is now filled substantively")).to_be_visible()
    check_accessibility(page, "the trust's oversight page after the judgement")

    trust_page = new_page()
    sign_in(trust_page, viewer)
    trust_page.goto(reverse("oversight-home"))
    expect(trust_page.locator(f"#criterion-{criterion.pk} .wl-latest-judgement")).to_contain_text("Met")
    expect(trust_page.get_by_text("the chair may step down")).to_have_count(0)
    check_accessibility(trust_page, "the trust's Oversight page")
