"""A quality lead records a self-assessment, publishes it, reads the rating with its working, and turns a finding
into an action in a plan; axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in

from wellled.assessments.models import Assessment, StatementAssessment
from wellled.plans.models import Action

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCORES = {"W1": "3", "W2": "3", "W3": "4", "W4": "3", "W5": "2", "W6": "3", "W7": "3", "W8": "3"}
LABELS = {"4": "4: exceptional standard", "3": "3: good standard", "2": "2: some shortfalls"}


def test_quality_lead_records_publishes_reads_the_working_and_makes_an_action(new_page, editor, plan):
    page = new_page()
    sign_in(page, editor)
    page.get_by_role("link", name="Assessments").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments")
    check_accessibility(page, "the assessments list")

    page.get_by_role("link", name="New assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New assessment")
    check_accessibility(page, "the new assessment form")
    page.get_by_label("Self-assessment").check()
    page.get_by_label("Framework").select_option(label="NHS well-led framework (2017) (2017)")
    page.get_by_label("Date of the assessment").fill("2026-10-01")
    page.get_by_label("Title (optional)").fill("Board well-led self-assessment")
    page.get_by_role("button", name="Start the assessment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Scores: Board well-led self-assessment")
    check_accessibility(page, "the scoring page")
    assessment = Assessment.objects.get(title="Board well-led self-assessment")
    for code, value in SCORES.items():
        statement = StatementAssessment.objects.get(assessment=assessment, element__code=code)
        block = page.locator(f"#statement-{statement.pk}")
        block.get_by_role("radio", name=LABELS[value]).check()
        block.get_by_role("button", name=f"Save {code}").click()
        expect(page.locator(f"#statement-{statement.pk}")).to_contain_text(
            f"{code} saved."
        )  # saved over HTMX
    check_accessibility(page, "the scoring page after saving")

    page.get_by_role("link", name="See the ratings and working").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ratings and working")
    check_accessibility(page, "the draft result")
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Record a finding").click()
    check_accessibility(page, "the finding form")
    page.get_by_label("Quality statement").select_option(label="W5: Risks, issues and performance")
    page.get_by_label("Finding", exact=True).fill("Risk registers are not reviewed at every committee.")
    page.get_by_role("button", name="Save finding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board well-led self-assessment")
    check_accessibility(page, "the assessment overview")

    page.get_by_role("link", name="Publish", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish this assessment")
    check_accessibility(page, "the publish page")
    page.get_by_role("button", name="Publish the assessment").click()
    expect(page.get_by_role("status").filter(has_text="Published.")).to_be_visible()
    working = page.locator('.wl-working[data-key-question="well_led"]')
    expect(working).to_contain_text("W1 3, W2 3, W3 4, W4 3, W5 2, W6 3, W7 3, W8 3 = 24 of 32 = 75%: good.")
    expect(page.locator("#kq-well_led").locator("xpath=..")).to_contain_text("Good")
    check_accessibility(page, "the published result")

    page.get_by_role("link", name="Turn into an action").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Turn a finding into an action")
    check_accessibility(page, "the finding-to-action form")
    page.get_by_label("Plan", exact=True).select_option(label=plan.name)
    page.get_by_label("Action reference").fill("W5z")
    page.get_by_label("Planned action").fill("Every committee reviews its risk register each quarter.")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(plan.name)
    expect(page.get_by_text("Statement W5: Risks, issues and performance")).to_be_visible()
    check_accessibility(page, "the plan with the new action")
    assert Action.objects.get(plan=plan, reference="W5z").findings.get().framework_element.code == "W5"

    page.get_by_role("link", name="Assessments").first.click()
    page.get_by_role("link", name="ratings grid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ratings")
    page.get_by_role("link", name="Show the trust's own assessments instead").click()
    expect(page.locator('td[data-key-question="well_led"]').first).to_contain_text("Good")
    check_accessibility(page, "the ratings grid")
    page.get_by_role("link", name=re.compile("ratings over time")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northmoor Test Trust")
    check_accessibility(page, "the ratings timeline")
