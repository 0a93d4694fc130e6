"""In a real browser, with axe on every page: a lead's update in the week after the month end lands in that
month's paper; a back-dated update is filed under its date without replacing the newer one; 1901 and tomorrow are
refused with the reason; an editor cannot issue a paper for tomorrow, and withdraws an issued paper with a reason
(ADRs 0032, 0034)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.factories import status

from wellled.plans import services as plan_services
from wellled.plans.models import Action
from wellled.reports import services
from wellled.reports.models import IssuedPaper

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def month_end_cycle(plan, editor, lead):
    """A cycle positioned at yesterday (the month end, say) and collecting updates for a week more; W1a has an
    update for that position already."""
    today = timezone.localdate()
    cycle = plan_services.cycle_open(
        plan=plan,
        by=editor,
        name="Month-end board",
        position_as_at=today - datetime.timedelta(days=1),
        update_deadline=today + datetime.timedelta(days=6),
    )
    plan_services.progress_update_record(
        action=Action.objects.get(plan=plan, reference="W1a"),
        by=lead,
        narrative="On course at the month end.",
        status=status(plan.organisation, "A/G"),
        expected_version=None,
    )
    return cycle


def test_lead_records_for_the_cycle_back_dates_and_is_refused_out_of_range(
    new_page, lead, plan, month_end_cycle
):
    action = Action.objects.get(plan=plan, reference="W1a")
    page = new_page()
    sign_in(page, lead, next_path=f"/actions/{action.pk}/update/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a progress update")
    position = page.get_by_label("Position as at")
    # The form offers the cycle's position date, and says what it does.
    expect(position).to_have_value(month_end_cycle.position_as_at.isoformat())
    expect(page.get_by_text("files the update under that date")).to_be_visible()
    check_accessibility(page, "the progress update form")

    page.get_by_label("Progress update").fill("What we should have said a month ago.")
    page.locator(f"input[name=status][value='{status(plan.organisation, 'R').pk}']").check()
    position.fill("1901-01-01")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("alert")).to_contain_text("at most 92 days back")
    check_accessibility(page, "the form refusing 1901")

    page.get_by_label("Position as at").fill((timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be in the future")

    back_dated = timezone.localdate() - datetime.timedelta(days=30)
    page.get_by_label("Position as at").fill(back_dated.isoformat())
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Progress update recorded on W1a.")).to_be_visible()
    check_accessibility(page, "the action after a back-dated update")
    action.refresh_from_db()
    assert action.status.code == "A/G"  # the month-end position still stands
    assert action.updates.count() == 2


def test_editor_cannot_issue_for_tomorrow_and_withdraws_an_issued_paper(
    new_page, editor, plan, month_end_cycle
):
    paper = services.paper_issue(plan=plan, cycle_or_as_at=month_end_cycle, by=editor)
    page = new_page()
    sign_in(page, editor, next_path=f"/plans/{plan.pk}/papers/issue/")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Position as at").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Issue the paper").click()
    expect(page.get_by_role("alert")).to_contain_text("has not been reached yet")
    check_accessibility(page, "the issue page refusing tomorrow")
    assert IssuedPaper.objects.count() == 1

    page.goto(f"/papers/{paper.pk}/")
    page.get_by_role("link", name="Withdraw this paper").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Withdraw the paper as at")
    check_accessibility(page, "the withdraw page")
    page.get_by_role("button", name="Withdraw this paper").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason the paper is withdrawn")
    page.get_by_label("Why is the paper withdrawn?").fill("Issued before the last two updates came in.")
    page.get_by_role("button", name="Withdraw this paper").click()
    expect(page.get_by_text("Withdrawn on")).to_be_visible()
    expect(page.get_by_text("Issued before the last two updates came in.")).to_be_visible()
    expect(page.get_by_role("link", name="Withdraw this paper")).to_have_count(0)
    check_accessibility(page, "the withdrawn paper")

    page.goto(f"/plans/{plan.pk}/papers/")
    expect(page.locator("table.wl-papers tbody tr").first).to_contain_text("Withdrawn")
    check_accessibility(page, "the past papers with a withdrawn one")


def test_administrator_loads_last_board_paper_confirms_a_lead_and_takes_the_status_key(
    new_page, org, people, tmp_path
):
    """The seed-shaped workbook through the upload page: its position date, a lead matched by initials to confirm
    or change, the workbook's status key offered for the scale; then the paper as at that date."""
    from tests.factories import make_person
    from tests.reports.test_workbook_journey import WORKBOOK
    from tests.spreadsheets import xlsx_bytes

    from wellled.core.choices import Role
    from wellled.core.models import DeliveryStatus
    from wellled.plans.models import Plan

    tom = make_person(org, role=Role.LEAD, username="tlee", first_name="Tom", last_name="Lee", initials="TL")
    tara = make_person(
        org, role=Role.LEAD, username="tlane", first_name="Tara", last_name="Lane", initials="TLa"
    )
    admin = people[Role.ADMINISTRATOR]
    page = new_page()
    sign_in(page, admin, next_path="/plans/import/")
    workbook = tmp_path / "board-2019.xlsx"
    workbook.write_bytes(xlsx_bytes(WORKBOOK))
    page.get_by_label("Name of the new plan").fill("Self-review 2019")
    page.locator("input[type=file][name=file]").set_input_files(str(workbook))
    check_accessibility(page, "the upload page with its position date")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("30 September 2019, from the workbook’s line")).to_be_visible()
    expect(page.get_by_text("Leads matched by their initials: check each one")).to_be_visible()
    expect(page.get_by_label("Import ‘TL’ as")).to_have_value(str(tom.pk))
    expect(page.get_by_text("The workbook's status key words these statuses differently")).to_be_visible()
    check_accessibility(page, "the preview with leads to confirm and the status key")
    page.get_by_label("Import ‘TL’ as").select_option(str(tara.pk))
    page.get_by_label("Use the workbook's wording for these statuses").check()
    page.get_by_role("button", name=re.compile("^Import ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("has been imported")

    plan = Plan.objects.get(organisation=org, name="Self-review 2019")
    assert plan.actions.get(reference="W1b").lead == tara
    assert DeliveryStatus.objects.get(organisation=org, code="G").meaning == "Done, and the improvement seen"
    page.goto(f"/plans/{plan.pk}/board-paper/?as_at=2019-09-30")
    expect(page.get_by_text("Part B: CQC inspection, October 2018").first).to_be_visible()
    expect(page.get_by_text("DMc / AK / MS").first).to_be_visible()
    check_accessibility(page, "the paper as at the workbook's date")
