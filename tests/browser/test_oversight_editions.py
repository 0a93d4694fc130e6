"""The improvement director records a status under the 2025/26 framework (score and rank), a CQC warning notice,
and tries to recommend exit before the criteria are sustained; the trust's people then read the status in its
edition's words and the notice. Axe on every page (ADR 0048)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.oversight.conftest import days_ago, director, entry, records, region  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_director_records_an_edition_a_notice_and_is_told_exit_waits(
    new_page,
    records,  # noqa: F811
    director,  # noqa: F811
    org,
    viewer,
):
    page = new_page()
    sign_in(page, director)
    page.goto(reverse("oversight-status-record", args=[org.pk]))
    check_accessibility(page, "the status form")
    page.get_by_label("Framework edition").select_option("2021-23")
    page.get_by_label("Segment 5").check()
    page.get_by_role("button", name="Record the status").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()  # 2021-23 had no segment 5
    check_accessibility(page, "the status form with errors")
    page.get_by_label("Framework edition").select_option("2025-26")
    page.get_by_label("Segment 5").check()
    page.get_by_label("Average metric score").fill("3.40")
    page.get_by_label("Rank", exact=False).first.fill("130")
    page.get_by_label("Ranked out of").fill("134")
    page.get_by_role("button", name="Record the status").click()
    expect(page.get_by_text("Oversight status recorded.")).to_be_visible()
    expect(page.locator("#status ~ dl").first).to_contain_text("Provider Improvement Programme")

    page.get_by_role("link", name="Record regulatory action").click()
    check_accessibility(page, "the regulatory action form")
    page.get_by_label("Action", exact=True).select_option("warning_notice")
    page.get_by_label("What it requires of the trust").fill("Safe staffing on the surgical wards at night.")
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_text("CQC warning notice recorded.")).to_be_visible()

    page.get_by_role("link", name="Recommend exit").click()
    check_accessibility(page, "the exit recommendation form")
    page.get_by_label("Why the trust should leave intensive support").fill("The board is ready.")
    page.get_by_role("button", name="Record the recommendation").click()
    expect(page.get_by_text("Not every exit criterion is met and sustained yet").first).to_be_visible()
    check_accessibility(page, "the exit recommendation refused")

    trust_page = new_page()
    sign_in(trust_page, viewer)
    trust_page.goto(reverse("oversight-home"))
    expect(
        trust_page.get_by_text("5: Intensive support (Provider Improvement Programme)").first
    ).to_be_visible()
    expect(trust_page.get_by_text("Safe staffing on the surgical wards at night.")).to_be_visible()
    check_accessibility(trust_page, "the trust's Oversight page with its regulatory action")
