"""In a real browser, with axe on every page: an administrator invites someone, sets up a lead an import knew only
by initials, changes a role, and deactivates a leaver whose open actions go to someone else."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in

from wellled.core.choices import Role
from wellled.core.models import Membership, User
from wellled.core.services import person_create
from wellled.plans.models import Action

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def banner(page):
    return page.locator(".nhsuk-notification-banner, [role=status]").first


def test_administrator_invites_sets_up_an_imported_lead_changes_a_role_and_deactivates_a_leaver(
    new_page, people, org, plan
):
    admin, lead = people[Role.ADMINISTRATOR], people[Role.LEAD]
    # What the spreadsheet import leaves for a lead it knew only by initials.
    person_create(username="znt01.jq", by=admin, organisation=org, role=Role.LEAD, initials="JQ")
    page = new_page()
    sign_in(page, admin)
    page.goto("/organisation/")
    page.get_by_role("link", name="Manage people and roles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People and roles")
    check_accessibility(page, "the people and roles page")

    page.get_by_role("button", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    check_accessibility(page, "the invitation form")
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter an e-mail address like")
    check_accessibility(page, "the invitation form with an error")
    page.get_by_label("E-mail address").fill("omar.ali@northmoor.nhs.uk")
    page.get_by_label("First name").fill("Omar")
    page.get_by_label("Last name").fill("Ali")
    page.get_by_label("Governance editor").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(banner(page)).to_contain_text("Invitation sent to omar.ali@northmoor.nhs.uk.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Omar Ali")
    check_accessibility(page, "a newly invited person's page")
    assert mail.outbox[-1].to == ["omar.ali@northmoor.nhs.uk"]

    page.get_by_role("link", name="Back to people and roles").click()
    row = page.get_by_role("row").filter(has_text="JQ")
    expect(row).to_contain_text("Invited")
    row.get_by_role("link").click()
    page.get_by_role("link", name="with a name and e-mail address").click()
    check_accessibility(page, "setting up an imported lead")
    page.get_by_label("First name").fill("Jo")
    page.get_by_label("Last name").fill("Quinn")
    page.get_by_label("E-mail address").fill("jo.quinn@northmoor.nhs.uk")
    page.get_by_role("button", name="Save").click()
    expect(banner(page)).to_contain_text("Invitation sent to jo.quinn@northmoor.nhs.uk.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jo Quinn")
    assert User.objects.get(username="znt01.jq").email == "jo.quinn@northmoor.nhs.uk"

    page.get_by_role("link", name="Change Jo Quinn's role").click()
    check_accessibility(page, "the role form")
    page.get_by_label("Viewer").check()
    page.get_by_role("button", name="Save the role").click()
    expect(banner(page)).to_contain_text("Jo Quinn is now viewer.")
    assert Membership.objects.get(user__username="znt01.jq").role == Role.VIEWER

    page.goto("/organisation/people/")
    page.get_by_role("link", name=str(lead)).click()
    page.get_by_role("link", name=f"Deactivate {lead} (a leaver)").click()
    check_accessibility(page, "the deactivation page")
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("3 open actions they lead or co-lead")
    page.get_by_label("Who takes on their open work").select_option(
        label=f"{people[Role.GOVERNANCE_EDITOR]} ({people[Role.GOVERNANCE_EDITOR].display_initials})"
    )
    page.get_by_role("button", name="Deactivate and hand on their work").click()
    expect(banner(page)).to_contain_text(f"{lead} has been deactivated.")
    expect(banner(page)).to_contain_text(
        f"Now with {people[Role.GOVERNANCE_EDITOR]}: 3 open actions they lead or co-lead"
    )
    expect(page.get_by_text("Deactivated on")).to_be_visible()
    check_accessibility(page, "a leaver's page")
    page.get_by_role("link", name=f"Open actions {lead} still leads, to reassign").click()
    expect(page.get_by_text(f"{lead} leads no open actions.")).to_be_visible()
    check_accessibility(page, "a leaver's open actions")
    assert set(Action.objects.filter(plan=plan).values_list("lead", flat=True)) == {
        people[Role.GOVERNANCE_EDITOR].pk
    }

    gone = new_page()
    gone.goto("/accounts/login/")
    gone.get_by_label("Username or e-mail address").fill(lead.username)
    gone.get_by_label("Password").fill("correct-horse-battery")
    gone.get_by_role("button", name="Sign in", exact=True).click()
    expect(gone.locator(".nhsuk-error-summary")).to_be_visible()
