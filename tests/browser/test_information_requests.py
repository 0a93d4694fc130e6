"""The improvement director registers two requests from two bodies asking the same thing about a trust of the
region's portfolio, answers once, and both show answered; the register counts one answered by reuse. Axe on every
page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.factories import make_person, make_plan

from wellled.core.choices import OrganisationKind, Role
from wellled.core.services import organisation_create, portfolio_trust_add
from wellled.information.models import InformationRequest, RequestStatus

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _register(page, *, body_choice: str = "", body_name: str = "", email: str = "", reference: str, due: str):
    page.get_by_role("link", name="Register a request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a request")
    check_accessibility(page, "the request form")
    if body_choice:
        page.get_by_label("Body that asked, if it uses Wellled").select_option(label=body_choice)
    if body_name:
        page.get_by_label("Or the body that asked, outside Wellled").fill(body_name)
        page.get_by_label("Their e-mail address").fill(email)
    page.get_by_label("Their reference (optional)").fill(reference)
    page.get_by_label("What they asked").fill("Where the well-led plan stood at the end of last month.")
    page.get_by_label("Received on").fill(timezone.localdate().isoformat())
    page.get_by_label("Due by").fill(due)
    page.get_by_label("A plan's delivery position as at a date").check()
    page.get_by_label("As at", exact=True).fill(
        (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Plan (for a plan's position)").select_option(label="Well-led improvement plan")
    page.get_by_role("button", name="Register the request").click()
    expect(page.get_by_text("registered.")).to_be_visible()


def test_the_improvement_director_answers_a_request_once_for_two_bodies(
    new_page, org, editor, lead, mailoutbox
):
    region = organisation_create(
        name="NHS England Test Region", ods_code="ZR001", by=None, kind=OrganisationKind.OVERSIGHT
    )
    organisation_create(
        name="Moorland Integrated Care Board", ods_code="ZQ001", by=None, kind=OrganisationKind.ICB
    )
    portfolio_trust_add(oversight_body=region, trust=org, by=None, joined_on=timezone.localdate())
    director = make_person(region, role=Role.GOVERNANCE_EDITOR, username="director")
    make_plan(org, editor, name="Well-led improvement plan", lead=lead)
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

    page = new_page()
    sign_in(page, director)
    page.get_by_role("link", name="Requests").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Information requests")
    check_accessibility(page, "the register")

    _register(page, body_choice="Moorland Integrated Care Board", reference="ICB-2026-41", due=due)
    page.get_by_role("link", name="Back to information requests").click()
    _register(
        page,
        body_name="Care Quality Commission",
        email="information@cqc.example",
        reference="CQC-907",
        due=due,
    )
    check_accessibility(page, "the request page")
    expect(page.locator("#same-thing")).to_contain_text("Moorland Integrated Care Board")

    page.get_by_role("button", name="Answer once for 2 requests").click()
    expect(page.get_by_text("Answer given to 2 requests")).to_be_visible()
    check_accessibility(page, "the answered request")
    expect(page.locator("#answer-files")).to_contain_text(".xlsx")

    page.get_by_role("link", name="Back to information requests").click()
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text="ICB-2026-41")).to_contain_text("Answered")
    expect(rows.filter(has_text="CQC-907")).to_contain_text("Answered")
    expect(page.locator("#answered-figure")).to_have_text(
        "2 requests, 1 of them by reusing an answer given to another body"
    )
    check_accessibility(page, "the register after answering")
    assert set(InformationRequest.objects.values_list("status", flat=True)) == {RequestStatus.ANSWERED}
    assert [m.to for m in mailoutbox] == [["information@cqc.example"]]
