"""Measures in a real browser, with axe on every new page: an analyst (governance editor) uploads a CSV, sees the
chart and icons and adds a rebase with a reason; a governance editor links an action's success measure to a measure
and sees the icons on the action, in the plan table and in the board paper."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in

from wellled.measures import services

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CSV = (
    "measure,period,value\n"
    + "".join(
        f"Overdue risk reviews,2024-{m:02d}-01,{v}\n"
        for m, v in zip(
            range(1, 13), [300, 310, 295, 305, 298, 302, 307, 299, 301, 296, 304, 300], strict=True
        )
    )
    + "".join(
        f"Overdue risk reviews,2025-{m:02d}-01,{v}\n"
        for m, v in zip(range(1, 10), [240, 236, 244, 238, 241, 239, 243, 237, 242], strict=True)
    )
)


@pytest.fixture
def empty_measure(org, editor):
    return services.measure_create(
        organisation=org,
        by=editor,
        name="Overdue risk reviews",
        kind="value",
        direction="decrease",
        target=200,
        unit_of_measurement="reviews",
    )


def test_analyst_uploads_a_csv_sees_the_chart_and_icons_and_rebases(
    new_page, editor, empty_measure, tmp_path
):
    bad = tmp_path / "bad.csv"
    bad.write_text("measure,period,value\nOverdue risk reviews,2024-01-01,lots\n", encoding="utf-8")
    good = tmp_path / "overdue.csv"
    good.write_text(CSV, encoding="utf-8")
    page = new_page()
    sign_in(page, editor)
    page.get_by_role("link", name="Measures", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures")
    check_accessibility(page, "the measure list")

    page.get_by_role("link", name="Upload data for several measures").click()
    check_accessibility(page, "the upload page")
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Row 2, column ‘value’: ‘lots’ is not a number.")
    check_accessibility(page, "the upload page with errors")

    page.get_by_label("Upload a file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the figures in overdue.csv")).to_be_visible()
    check_accessibility(page, "the upload preview")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status").filter(has_text="21 values added")).to_be_visible()

    page.get_by_role("link", name="Overdue risk reviews").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue risk reviews")
    chart = page.locator(".wl-chart svg[role=img]").first
    expect(chart).to_be_visible()
    expect(page.locator(".wl-action-measure svg title").first).to_contain_text("improvement")
    expect(page.locator("figcaption")).to_contain_text("Lower is better.")
    check_accessibility(page, "the measure page")

    page.get_by_text("Add a rebase").click()
    page.get_by_label("Recalculate the limits from").fill("2025-01-01")
    page.get_by_label("Reason").fill("Weekly risk review clinics started")
    page.get_by_role("button", name="Add the rebase").click()
    expect(
        page.get_by_role("status").filter(has_text="Limits recalculated from 01 January 2025")
    ).to_be_visible()
    expect(page.locator("#rebases")).to_contain_text("Weekly risk review clinics started")
    expect(page.locator("figcaption")).to_contain_text("in 2 groups")
    check_accessibility(page, "the measure page after a rebase")

    page.goto("/measures/summary/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary of measures")
    expect(page.locator(".wl-matrix")).to_contain_text("Overdue risk reviews")
    check_accessibility(page, "the summary matrix")
    page.goto("/measures/new/")
    check_accessibility(page, "the new measure form")
    page.goto(f"/measures/{empty_measure.pk}/values/")
    check_accessibility(page, "the data entry page")


def test_editor_links_a_success_measure_and_sees_the_icons_on_the_action(
    new_page, editor, org, objects, empty_measure
):
    rows = [
        services.ValueRow(empty_measure.pk, d, value=float(v))
        for d, v in zip(
            __import__("tests.measures.conftest", fromlist=["months"]).months(21),
            [
                300,
                310,
                295,
                305,
                298,
                302,
                307,
                299,
                301,
                296,
                304,
                300,
                240,
                236,
                244,
                238,
                241,
                239,
                243,
                237,
                242,
            ],
            strict=True,
        )
    ]
    services.values_load(organisation=org, by=editor, rows=rows, source="seed.csv")
    action = objects["action"]
    page = new_page()
    sign_in(page, editor)
    page.goto(f"/actions/{action.pk}/")
    page.get_by_role("link", name="Link the success measure to a measure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Link the success measure to a measure")
    check_accessibility(page, "the link form")
    page.get_by_label("Measure", exact=True).select_option(label="Overdue risk reviews (reviews)")
    page.get_by_label("Target", exact=True).fill("250")
    page.get_by_role("button", name="Save link").click()
    box = page.locator(".wl-action-measure")
    expect(box).to_contain_text("Overdue risk reviews")
    expect(box).to_contain_text(re.compile(r"target 250 reviews:\s+met"))
    expect(box.locator("svg title").first).to_contain_text("improvement")
    check_accessibility(page, "the action page with its measure")
    page.goto(f"/plans/{action.plan_id}/")
    expect(page.locator(f"#action-{action.pk} .wl-action-measure svg")).to_have_count(2)
    check_accessibility(page, "the plan page with a linked measure")
    page.get_by_role("link", name="Board paper", exact=True).click()
    paper_row = page.locator("#part-a tr", has_text=action.reference)
    expect(paper_row).to_contain_text("Overdue risk reviews")
    expect(paper_row).to_contain_text("Improvement (low)")
    expect(paper_row.locator("svg title").first).to_contain_text("improvement")
    measures = page.locator("#measures")
    expect(measures).to_contain_text("Measures: has it improved?")
    expect(measures).to_contain_text("Overdue risk reviews")
    check_accessibility(page, "the board paper with a linked measure")
