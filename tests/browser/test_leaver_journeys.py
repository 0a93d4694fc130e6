"""In a real browser, with axe on every page (issue 27): a leader leaves, and a lead is made a viewer. Each page
warns what the person still holds, offers only people who can act as the successor, and in one step hands the work
on; afterwards the person is not in the cycle's "Who has not updated", and reminding everyone awaited sends
nothing to them."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.factories import make_person

from wellled.core.choices import Role
from wellled.core.models import Membership
from wellled.plans import services as plan_services
from wellled.plans.models import Action
from wellled.risks import services as risk_services
from wellled.risks.models import Risk

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def banner(page):
    return page.locator(".nhsuk-notification-banner, [role=status]").first


@pytest.fixture
def cycle(plan, people):
    return plan_services.cycle_open(
        plan=plan,
        by=people[Role.GOVERNANCE_EDITOR],
        name="This month's board",
        position_as_at=timezone.localdate(),
        update_deadline=timezone.localdate() + datetime.timedelta(days=7),
    )


def _awaited_leads(page, cycle):
    """The names in the cycle's "Who has not updated" table."""
    page.goto(f"/cycles/{cycle.pk}/")
    return page.locator("table").first.inner_text()


@pytest.mark.parametrize("journey", ["leaver", "made a viewer"])
def test_leaving_or_becoming_a_viewer_hands_the_work_on_and_ends_the_chasing(
    new_page, people, org, plan, cycle, journey
):
    admin, editor, lead, viewer = (
        people[Role.ADMINISTRATOR],
        people[Role.GOVERNANCE_EDITOR],
        people[Role.LEAD],
        people[Role.VIEWER],
    )
    successor = make_person(org, role=Role.LEAD, first_name="Tariq", last_name="Okafor", initials="TO")
    risk_services.risk_create(
        organisation=org,
        by=editor,
        title="Agency spend",
        inherent=(4, 4),
        current=(3, 4),
        target=(2, 2),
        owner=lead,
    )
    page = new_page()
    sign_in(page, admin)
    assert str(lead) in _awaited_leads(page, cycle)

    page.goto("/organisation/people/")
    page.get_by_role("link", name=str(lead)).click()
    if journey == "leaver":
        page.get_by_role("link", name=f"Deactivate {lead} (a leaver)").click()
    else:
        page.get_by_role("link", name=f"Change {lead}'s role").click()
    warning = page.locator(".nhsuk-warning-callout")
    expect(warning).to_contain_text("3 open actions they lead or co-lead")
    expect(warning).to_contain_text("1 open risk they own, handle or lead as executive")
    expect(warning.get_by_role("link", name="Agency spend")).to_be_visible()
    check_accessibility(page, f"the {journey} page with open work to hand on")
    chooser = page.get_by_label("Who takes on their open work")
    offered = chooser.locator("option").all_inner_texts()
    assert any(str(successor) in text for text in offered)
    assert not any(str(viewer) in text or str(lead) in text for text in offered), offered

    if journey == "leaver":
        # Without a successor nothing happens, and the page says why by the field.
        page.get_by_role("button", name="Deactivate and hand on their work").click()
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose who takes on their open work")
        check_accessibility(page, "the deactivation page with an error")
        chooser.select_option(label=f"{successor} (TO)")
        page.get_by_role("button", name="Deactivate and hand on their work").click()
        expect(banner(page)).to_contain_text(f"{lead} has been deactivated.")
        assert not Membership.objects.get(user=lead, organisation=org).active
    else:
        page.get_by_label("Viewer").check()
        page.get_by_role("button", name="Save the role").click()
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("choose who takes them on")
        check_accessibility(page, "the role page with an error")
        page.get_by_label("Viewer").check()
        page.get_by_label("Who takes on their open work").select_option(label=f"{successor} (TO)")
        page.get_by_role("button", name="Save the role").click()
        expect(banner(page)).to_contain_text(f"{lead} is now viewer.")
        assert Membership.objects.get(user=lead, organisation=org).role == Role.VIEWER
    expect(banner(page)).to_contain_text(f"Now with {successor}: 3 open actions they lead or co-lead")
    check_accessibility(page, f"the person's page after the {journey} step")
    assert set(Action.objects.filter(plan=plan).values_list("lead", flat=True)) == {successor.pk}
    assert Risk.objects.get(title="Agency spend").owner == successor

    # Afterwards: not awaited, and "Remind everyone awaited" sends nothing to them.
    awaited = _awaited_leads(page, cycle)
    assert str(lead) not in awaited and str(successor) in awaited
    check_accessibility(page, "the cycle after the hand-on")
    mail.outbox.clear()
    page.get_by_role("button", name="Remind everyone awaited").click()
    expect(banner(page)).to_contain_text("1 reminder sent.")
    assert [message.to for message in mail.outbox] == [[successor.email]]


def test_ticking_one_lead_reminds_exactly_one(new_page, people, org, plan, cycle):
    editor = people[Role.GOVERNANCE_EDITOR]
    other = make_person(org, role=Role.LEAD, first_name="Ffion", last_name="Price")
    action = Action.objects.filter(plan=plan).order_by("reference").last()
    plan_services.action_update(action=action, by=editor, expected_version=action.version, lead=other)
    page = new_page()
    sign_in(page, editor)
    page.goto(f"/cycles/{cycle.pk}/")
    boxes = page.locator("input[name=lead]")
    expect(boxes).to_have_count(2)
    for box in boxes.all():
        expect(box).not_to_be_checked()
    check_accessibility(page, "the cycle with nothing ticked")
    page.get_by_role("button", name="Remind the people I ticked").click()
    expect(banner(page)).to_contain_text("No one was reminded")
    assert not mail.outbox
    page.get_by_label(f"Remind {other}").check()
    page.get_by_role("button", name="Remind the people I ticked").click()
    expect(banner(page)).to_contain_text("1 reminder sent.")
    assert [message.to for message in mail.outbox] == [[other.email]]
