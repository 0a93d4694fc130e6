"""Issue 16's journey end to end in a real browser, axe on every page: the improvement director signs in and lands
on the region's portfolio, drills into a trust, records an exit criterion judgement, then answers one information
request for two bodies that asked the same thing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.browser.test_information_requests import _register
from tests.oversight.conftest import days_ago, director, entry, records, region  # noqa: F401 (fixtures)

from wellled.core.choices import OrganisationKind
from wellled.core.services import organisation_create
from wellled.information.models import InformationRequest, RequestStatus
from wellled.oversight.models import ExitCriterionJudgement

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_director_opens_portfolio_judges_a_criterion_and_answers_two_bodies_once(
    new_page,
    records,  # noqa: F811
    director,  # noqa: F811
    org,
    plan,
    mailoutbox,
):
    organisation_create(
        name="Moorland Integrated Care Board", ods_code="ZQ001", by=None, kind=OrganisationKind.ICB
    )
    plan.name = "Well-led improvement plan"
    plan.save(update_fields=["name"])
    criterion = records["criterion"]

    page = new_page()
    sign_in(page, director)  # an oversight body's home is its portfolio
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    check_accessibility(page, "the portfolio")
    row = page.locator("table.wl-portfolio tbody tr", has_text=org.name)
    expect(row).to_contain_text("Provider Improvement Programme")  # the renamed programme, by its name today
    expect(row).to_contain_text("0 of 1")  # no exit criterion met yet

    row.get_by_role("link", name=re.compile(org.name)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(org.name)
    check_accessibility(page, "the trust's oversight page")
    page.get_by_role("link", name=f"Record a judgement of {criterion.reference}").click()
    page.get_by_label("Met", exact=True).check()
    page.get_by_label("Reasons").fill(
        "The board has met in full with every executive post filled for six months."
    )
    page.get_by_role("button", name="Record the judgement").click()
    expect(page.locator(f"#criterion-{criterion.pk} .wl-latest-judgement")).to_contain_text("Met")
    assert ExitCriterionJudgement.objects.filter(criterion=criterion, judged_by=director).latest(
        "recorded_at"
    ).judgement == ("met")

    page.get_by_role("link", name="Portfolio", exact=True).click()
    expect(page.locator("table.wl-portfolio tbody tr", has_text=org.name)).to_contain_text("1 of 1")

    page.get_by_role("link", name="Requests", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Information requests")
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    _register(page, body_choice="Moorland Integrated Care Board", reference="ICB-77", due=due)
    page.get_by_role("link", name="Back to information requests").click()
    _register(
        page, body_name="Care Quality Commission", email="info@cqc.example", reference="CQC-12", due=due
    )
    page.get_by_role("button", name="Answer once for 2 requests").click()
    expect(page.get_by_text("Answer given to 2 requests")).to_be_visible()
    check_accessibility(page, "the answered request")
    assert set(InformationRequest.objects.values_list("status", flat=True)) == {RequestStatus.ANSWERED}
    assert [m.to for m in mailoutbox] == [["info@cqc.example"]]
