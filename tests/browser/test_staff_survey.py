"""The staff survey in a real browser, with axe on each page (issue 26): an editor enters the 2024 survey's scores
against the benchmark group, mends a mistake named by its element, imports a file with a bad row (named by row and
column, nothing saved), and reads the year against its benchmark on the measure's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in

from wellled.measures import services
from wellled.measures.choices import Frequency, YearStart

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_an_editor_enters_and_imports_a_staff_survey_year(new_page, org, editor, tmp_path):
    """NHS Staff Survey: "the 2024 survey", each element out of 10 against the benchmark group's median, best and
    worst; shown as a table (text, not colour alone) and a chart."""
    measure = services.measure_create(
        organisation=org,
        by=editor,
        name="Staff engagement score",
        kind="value",
        frequency=Frequency.ANNUAL,
        year_start=YearStart.CALENDAR,
    )
    bad = tmp_path / "survey.csv"
    bad.write_text(
        "survey year,element,score,benchmark median,benchmark best,benchmark worst\n"
        "2023,We are a team,6.7,6.6,7.0,6.2\n2023,We are happy,6.7,6.6,7.0,6.2\n",
        encoding="utf-8",
    )
    page = new_page()
    sign_in(page, editor)
    page.goto(f"/measures/{measure.pk}/")
    page.get_by_role("link", name="Staff survey results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff survey results")
    check_accessibility(page, "the staff survey page")

    page.get_by_label("Survey year").fill("2024")
    page.get_by_label("We are a team: your score").fill("6.9")
    page.get_by_label("We are a team: the benchmark median").fill("6.7")
    page.get_by_label("We are a team: the benchmark best").fill("7.1")
    page.get_by_role("button", name="Save the survey year").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("We are a team: the benchmark worst")
    check_accessibility(page, "the staff survey page with a mistake")
    page.get_by_label("We are a team: the benchmark worst").fill("6.3")
    page.get_by_role("button", name="Save the survey year").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Staff engagement score")
    table = page.locator("#survey-scores")
    expect(table).to_contain_text("The 2024 staff survey against the benchmark group")
    expect(table).to_contain_text("Above median")
    expect(page.locator("#survey-chart svg[role=img]")).to_be_visible()
    check_accessibility(page, "the measure page with its survey year")

    page.get_by_role("link", name="Staff survey results").click()
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Import the file").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Row 3, column ‘element’")
    check_accessibility(page, "the staff survey import with a bad row")
    assert measure.survey_scores.count() == 1
