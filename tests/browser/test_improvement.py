"""A QI lead records a PDSA cycle on their project, then writes what the test showed and the decision; the cycle's
start is marked on the chart of the measure the project watches. Axe on every page."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in

from wellled.improvement import services
from wellled.improvement.models import PDSACycle
from wellled.measures import services as measure_services

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_qi_lead_records_a_pdsa_cycle(new_page, org, editor, lead):
    measure = measure_services.measure_create(
        organisation=org, by=editor, name="Inpatient falls", kind="count", direction="decrease"
    )
    rows = [
        measure_services.ValueRow(measure.pk, datetime.date(2025, m, 1), value=v)
        for m, v in zip(range(1, 13), [14, 12, 15, 13, 14, 12, 13, 15, 9, 8, 9, 7], strict=True)
    ]
    measure_services.values_load(organisation=org, by=editor, source="test", rows=rows)
    project = services.project_create(
        organisation=org,
        by=editor,
        title="Safer nights on Rowan ward",
        aim="Halve falls at night by next spring.",
        started_on=datetime.date(2025, 6, 1),
        lead=lead,
    )
    services.project_measure_link(project=project, by=editor, measure=measure, role="outcome")

    page = new_page()
    sign_in(page, lead)
    page.get_by_role("link", name="Improvement").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quality improvement")
    check_accessibility(page, "the QI portfolio")
    page.get_by_role("link", name="Safer nights on Rowan ward").click()
    check_accessibility(page, "the project page")

    page.get_by_role("link", name="Record a PDSA cycle").click()
    check_accessibility(page, "the PDSA form")
    page.get_by_label("Short name of the test").fill("Night lights")
    page.get_by_label("Test started on").fill("2025-09-01")
    page.get_by_label("Plan").fill("Low lights by each bed on Rowan ward for a month.")
    page.get_by_label("Prediction").fill("Fewer falls on the way to the toilet at night.")
    page.get_by_role("button", name="Record the cycle").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Night lights")
    page.get_by_label("Do: what happened").fill("Fitted on all twenty beds; two broke in week two.")
    page.get_by_label("Study: what the data show against the prediction").fill("Falls fell from 15 to 9.")
    page.get_by_label("Adopt", exact=True).check()
    page.get_by_role("button", name="Save the cycle").click()
    expect(page.get_by_text("PDSA cycle saved.")).to_be_visible()
    check_accessibility(page, "the PDSA cycle page")
    assert PDSACycle.objects.get(title="Night lights").act == "adopt"

    page.goto(f"/measures/{measure.pk}/")
    expect(page.locator("svg").filter(has_text="PDSA: Night lights").first).to_be_attached()
