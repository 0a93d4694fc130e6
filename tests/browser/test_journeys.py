"""The foundation's journeys in a real browser, as each person would take them, with axe on every page.

Data is built through the services (tests/factories.py); the people sign in through the real sign-in page.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.factories import make_person, status

from wellled.core.choices import Role
from wellled.plans import services as plan_services
from wellled.plans.models import Action

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def second_lead(org):
    return make_person(org, role=Role.LEAD, username="lead2", first_name="Priya", last_name="Shah")


@pytest.fixture
def actions(plan, org, editor, lead, second_lead):
    """The plan's W1a–W1c (led by `lead`, due last March, so overdue) and W1d (led by `second_lead`, due next
    year); W1b already has an "At risk" update."""
    section = plan.sections.get(code="W1")
    plan_services.action_create(
        plan=plan,
        by=editor,
        reference="W1d",
        title="Publish the leadership development offer",
        section=section,
        lead=second_lead,
        success_measure="Offer published on the intranet",
        due_date=timezone.localdate() + datetime.timedelta(days=200),
    )
    rows = {a.reference: a for a in Action.objects.filter(plan=plan)}
    plan_services.progress_update_record(
        action=rows["W1b"],
        by=editor,
        narrative="Recruitment to the programme has stalled.",
        status=status(org, "A/R"),
        expected_version=None,
    )
    return {a.reference: a for a in Action.objects.filter(plan=plan)}


def row(page, action):
    return page.locator(f"#action-{action.pk}")


def test_lead_records_an_update_and_sees_it_on_the_plan_and_in_the_history(new_page, lead, plan, actions):
    page = new_page()
    sign_in(page, lead)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    check_accessibility(page, "the dashboard")

    page.get_by_role("link", name="My actions").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    check_accessibility(page, "my actions")
    action = actions["W1a"]
    page.get_by_role("link", name="W1a", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("W1a: Planned action 1")
    check_accessibility(page, "the action page")

    page.get_by_role("link", name="Record a progress update").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a progress update")
    check_accessibility(page, "the update form")
    page.get_by_label("Progress update").fill("Forty people enrolled on the first cohort.")
    page.get_by_label("A/G: On track").check()
    page.get_by_role("button", name="Save update").click()

    expect(page.get_by_role("status").filter(has_text="Progress update recorded on W1a.")).to_be_visible()
    expect(page.locator(".wl-status-line")).to_contain_text("A/G")
    timeline = page.locator(".wl-timeline")
    expect(timeline.locator(".wl-timeline__item--update").first).to_contain_text(
        "Forty people enrolled on the first cohort."
    )
    expect(timeline.locator(".wl-timeline__item--update").first).to_contain_text("A/G")
    check_accessibility(page, "the action page after an update")

    page.get_by_role("link", name=f"Back to {plan.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.name)
    expect(row(page, action)).to_contain_text("A/G")
    expect(row(page, action)).to_contain_text("Forty people enrolled on the first cohort.")
    check_accessibility(page, "the plan page")

    row(page, action).get_by_role("link", name="W1a", exact=True).click()
    page.get_by_role("link", name="Full history of changes to this action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of action W1a")
    history = page.locator("table tbody")
    expect(history).to_contain_text("Progress update recorded: A/G")
    expect(history).to_contain_text("Status: A/G (On track)")
    check_accessibility(page, "the action's history page")


def test_empty_update_shows_the_error_summary_with_links_to_the_fields(new_page, lead, actions):
    page = new_page()
    sign_in(page, lead, next_path=f"/actions/{actions['W1a'].pk}/update/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a progress update")
    page.get_by_label("Position as at").fill("")
    page.get_by_role("button", name="Save update").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter the progress update")).to_be_visible()
    expect(summary.get_by_role("link", name="Choose a proposed delivery status")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter the date this update describes")).to_be_visible()
    expect(page).to_have_title(re.compile("Record a progress update"))
    check_accessibility(page, "the update form with errors")

    summary.get_by_role("link", name="Enter the progress update").click()
    expect(page.get_by_label("Progress update")).to_be_focused()
    summary.get_by_role("link", name="Choose a proposed delivery status").click()
    expect(page.locator("#id_status")).to_be_focused()
    summary.get_by_role("link", name="Enter the date this update describes").click()
    expect(page.get_by_label("Position as at")).to_be_focused()


def test_editor_opens_a_cycle_sees_who_has_not_updated_and_sends_reminders(
    new_page, editor, lead, second_lead, plan, actions
):
    page = new_page()
    sign_in(page, editor)
    page.get_by_role("link", name="Plans").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plans")
    check_accessibility(page, "the plan list")
    page.get_by_role("link", name=plan.name).click()
    page.get_by_role("link", name="Reporting cycles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reporting cycles")
    check_accessibility(page, "the reporting cycles page")
    page.get_by_role("link", name="Open a reporting cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a reporting cycle")
    check_accessibility(page, "the cycle form")

    today = timezone.localdate()
    page.get_by_label("Name").fill("December board")
    page.get_by_label("Position as at").fill((today + datetime.timedelta(days=14)).isoformat())
    page.get_by_label("Deadline for updates").fill((today + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Open cycle").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("December board")
    expect(page.get_by_role("status")).to_contain_text("Reporting cycle “December board” opened.")
    awaiting = page.locator("table").filter(has_text="Actions awaiting an update")
    expect(awaiting).to_contain_text(str(lead))
    expect(awaiting).to_contain_text(str(second_lead))
    check_accessibility(page, "the cycle page")

    # The lead of W1a records an update in the cycle; the other actions are still awaited.
    plan_services.progress_update_record(
        action=actions["W1a"],
        by=lead,
        narrative="On course.",
        status=status(plan.organisation, "A/G"),
        expected_version=actions["W1a"].version,
    )
    page.goto(f"/plans/{plan.pk}/")
    expect(row(page, actions["W1a"])).not_to_contain_text("Update awaited")
    for reference in ("W1b", "W1c", "W1d"):
        expect(row(page, actions[reference])).to_contain_text("Update awaited")
    check_accessibility(page, "the plan page during a cycle")

    page.get_by_role("link", name="December board").click()
    page.get_by_role("button", name="Remind everyone awaited").click()
    expect(page.get_by_role("status")).to_contain_text("2 reminders sent.")
    check_accessibility(page, "the cycle page after reminders")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, second_lead.email])
    assert all("December board" in m.body or "W1" in m.body for m in mail.outbox)


def test_viewer_cannot_edit(new_page, viewer, plan, actions):
    action = actions["W1a"]
    page = new_page()
    sign_in(page, viewer)
    page.goto(f"/plans/{plan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.name)
    expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
    row(page, action).get_by_role("link", name="W1a", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("W1a")
    expect(page.get_by_role("link", name="Record a progress update")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Correct this update"))).to_have_count(0)
    check_accessibility(page, "the action page, as a viewer")

    response = page.goto(f"/actions/{action.pk}/update/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    check_accessibility(page, "the 403 page")
    response = page.goto(f"/actions/{action.pk}/edit/")
    assert response.status == 403


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_plan_filters_narrow_the_rows(new_page, lead, plan, actions, javascript):
    page = new_page(java_script_enabled=javascript)
    sign_in(page, lead, accessibility=javascript)
    page.goto(f"/plans/{plan.pk}/")
    rows = page.locator("#plan-tables .wl-plan-table tbody tr[id^=action-]")
    expect(rows).to_have_count(4)
    if javascript:
        page.evaluate("() => { window.notReloaded = true; }")

    page.get_by_label("Status", exact=True).select_option("A/R")
    if not javascript:
        page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    expect(row(page, actions["W1b"])).to_be_visible()
    expect(page).to_have_url(re.compile(r"status=A%2FR"))
    expect(page.locator("#plan-tables")).to_contain_text("1 action matches the filters.")

    page.get_by_label("Status", exact=True).select_option("")
    page.get_by_label("Overdue").check()
    if not javascript:
        page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(3)
    expect(row(page, actions["W1d"])).to_have_count(0)
    expect(page).to_have_url(re.compile(r"overdue=1"))
    if javascript:  # (axe needs JavaScript too)
        assert page.evaluate("() => window.notReloaded === true"), (
            "the filters reloaded the page instead of swapping"
        )
        check_accessibility(page, "the filtered plan page")


def test_another_organisations_person_gets_not_found(new_page, outsider, plan, actions):
    page = new_page()
    sign_in(page, outsider)
    for path in (
        f"/actions/{actions['W1a'].pk}/",
        f"/plans/{plan.pk}/",
        f"/actions/{actions['W1a'].pk}/update/",
    ):
        response = page.goto(path)
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_accessibility(page, "the 404 page")


def test_second_save_of_the_same_action_is_refused_and_the_first_is_kept(new_page, org, editor, actions):
    other_editor = make_person(org, role=Role.GOVERNANCE_EDITOR, username="editor2")
    action = actions["W1c"]
    first, second = new_page(), new_page()
    sign_in(first, editor)
    sign_in(second, other_editor)
    for page in (first, second):
        page.goto(f"/actions/{action.pk}/")
        page.get_by_role("link", name="Edit action").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Edit action W1c")
    check_accessibility(first, "the action edit form")

    first.get_by_label("Success measure").fill("Ninety people enrolled")
    first.get_by_role("button", name="Save").click()
    expect(first.get_by_role("status")).to_contain_text("Action W1c saved.")

    second.get_by_label("Success measure").fill("Sixty people enrolled")
    second.get_by_role("button", name="Save").click()
    summary = second.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("changed by someone else")
    check_accessibility(second, "the action edit form after a refused save")

    second.goto(f"/actions/{action.pk}/")
    expect(second.get_by_role("main")).to_contain_text("Ninety people enrolled")
    expect(second.get_by_role("main")).not_to_contain_text("Sixty people enrolled")
    action.refresh_from_db()
    assert action.success_measure == "Ninety people enrolled"


def test_editor_closes_an_action_after_the_warning_and_the_lead_is_pointed_to_what_is_left(
    new_page, editor, lead, plan, actions
):
    plan_services.cycle_open(
        plan=plan,
        by=editor,
        name="This month",
        position_as_at=timezone.localdate(),
        update_deadline=timezone.localdate(),
    )
    page = new_page()
    sign_in(page, lead)
    notice = page.locator(".nhsuk-inset-text")
    expect(notice).to_contain_text("3 of your actions need a progress update this cycle")
    check_accessibility(page, "a lead's dashboard")
    page.context.clear_cookies()

    sign_in(page, editor)
    page.goto(f"/actions/{actions['W1b'].pk}/")
    page.get_by_role("link", name="Complete or close").click()
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("has not reported W1b as delivered")
    check_accessibility(page, "the close page with its warning")
    page.get_by_label("Closed with evidence of assurance").check()
    page.get_by_role("textbox", name="Evidence of assurance").fill("Nominations Committee minutes, item 6")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("W1b")
    timeline = page.locator(".wl-timeline")
    expect(timeline).to_contain_text("Closed with evidence of assurance")
    expect(timeline).to_contain_text("Evidence: Nominations Committee minutes, item 6")
    expect(page.get_by_role("link", name="Reopen")).to_be_visible()
    expect(page.get_by_role("link", name="Record a progress update")).to_have_count(0)
    check_accessibility(page, "a closed action")
