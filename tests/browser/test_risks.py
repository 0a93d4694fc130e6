"""Risks in a real browser, with axe on every page: a risk owner reviews a risk and re-scores it; the governance
editor looks at the register, the heat map and the BAF, and issues the BAF paper."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.risks.conftest import make_risk

from wellled.reports.models import IssuedPaper, PaperKind
from wellled.risks import services
from wellled.risks.models import RiskReview

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def register(org, editor, lead, objects):
    category = services.category_create(
        organisation=org, by=editor, name="Workforce", appetite="cautious", tolerance=12
    )
    objective = services.objective_create(
        organisation=org, by=editor, code="SO1", title="A good place to work"
    )
    risk = make_risk(
        org, editor, reference="R1", owner=lead, category=category, controls=["Daily staffing huddle"]
    )
    make_risk(org, editor, reference="R2", title="Ageing theatre ventilation", current=(2, 4))
    services.risk_links_set(risk=risk, by=editor, expected_version=risk.version, actions=[objects["action"]])
    risk.refresh_from_db()
    services.risk_baf_set(
        risk=risk,
        by=editor,
        expected_version=risk.version,
        principal=True,
        objective=objective,
        lead_committee="People committee",
        lead_executive=editor,
        assurance_rating="limited",
    )
    return risk


def test_owner_reviews_and_rescores_their_risk(new_page, lead, register):
    page = new_page()
    sign_in(page, lead, next_path="/risks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk register")
    check_accessibility(page, "the risk register")
    page.get_by_role("link", name=register.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("R1:")
    check_accessibility(page, "the risk page")
    page.get_by_role("link", name="Review this risk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review this risk")
    check_accessibility(page, "the review form")
    page.get_by_role("button", name="Record the review").click()  # nothing said about the review
    expect(page.get_by_role("alert")).to_contain_text("Say what the review found")
    check_accessibility(page, "the review form with an error")
    page.get_by_label("Current likelihood").select_option("4")
    page.get_by_label("Current consequence").select_option("4")
    page.get_by_label("What the review found").fill("Agency cover has fallen through for January.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("status").first).to_contain_text("the risk score is 16 (up from 12)")
    expect(page.get_by_text("On the corporate risk register")).to_be_visible()
    expect(page.get_by_role("cell", name="Up 4 from 12")).to_be_visible()
    check_accessibility(page, "the risk page after the review")
    assert RiskReview.objects.get(risk=register).score == 16
    # The action the risk links to shows it too.
    page.goto(f"/actions/{register.actions.get().pk}/")
    expect(page.get_by_role("heading", name="Risks this action mitigates")).to_be_visible()
    check_accessibility(page, "the action page with its risks")


def test_editor_looks_at_the_heat_map_and_the_baf_and_issues_the_baf_paper(new_page, editor, register):
    page = new_page()
    sign_in(page, editor, next_path="/risks/heat-map/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk heat map")
    expect(page.locator(".wl-heat")).to_contain_text("score 12, high")
    check_accessibility(page, "the heat map")
    page.get_by_role("link", name=re.compile("risk at likelihood 3, consequence 4")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk register")
    expect(page.locator("table.wl-risk-table tbody tr")).to_have_count(1)
    page.goto("/risks/overdue/")
    check_accessibility(page, "overdue reviews")
    page.get_by_role("link", name="Board assurance framework", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board assurance framework")
    expect(page.get_by_role("heading", name="SO1: A good place to work")).to_be_visible()
    check_accessibility(page, "the BAF")
    page.get_by_role("link", name="Issue the BAF paper").click()
    check_accessibility(page, "the issue page")
    page.get_by_role("button", name="Issue the paper").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Board assurance framework, ")
    expect(page.get_by_role("link", name=re.compile(r"\.pdf$"))).to_be_visible()
    check_accessibility(page, "the issued BAF paper")
    issued = IssuedPaper.objects.get(kind=PaperKind.BAF)
    response = page.request.get(f"/baf/papers/{issued.pk}/download.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
    page.get_by_role("link", name="Back to the issued BAF papers").click()
    check_accessibility(page, "the issued BAF papers")
    page.goto(f"/risks/{register.pk}/baf/")
    check_accessibility(page, "the BAF entry form")
    page.goto(f"/risks/{register.pk}/links/")
    check_accessibility(page, "the links form")
    page.goto("/risks/new/")
    check_accessibility(page, "the new risk form")


def test_editor_sets_up_categories_and_checks_a_register_before_importing(
    new_page, editor, register, tmp_path
):
    page = new_page()
    sign_in(page, editor, next_path="/risks/settings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk settings")
    check_accessibility(page, "risk settings")
    page.get_by_role("link", name="Add a category").click()
    check_accessibility(page, "the new category form")
    page.get_by_label("Name").fill("Finance")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Finance", exact=True)).to_be_visible()
    page.get_by_role("link", name="Add a strategic objective").click()
    check_accessibility(page, "the new objective form")
    page.get_by_role("link", name="Back to risk settings").click()
    page.get_by_role("link", name="Import a risk register from a spreadsheet").click()
    check_accessibility(page, "the import page")
    bad = tmp_path / "register.csv"
    bad.write_bytes(b"Risk ID,Title,Current rating,Category\r\nX1,Lift failures,4x5=18,Finance\r\n")
    page.get_by_label("Risk register (.xlsx or .csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported: 1 problem")
    expect(page.get_by_role("cell", name="Current rating")).to_be_visible()
    check_accessibility(page, "the import page listing problems")
    good = tmp_path / "good.csv"
    good.write_bytes(b"Risk ID,Title,Current rating,Category\r\nX1,Lift failures,4x5=20,Finance\r\n")
    page.get_by_label("Risk register (.xlsx or .csv)").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_contain_text("The file is ready")
    expect(page.get_by_role("cell", name="New risk")).to_be_visible()
    check_accessibility(page, "the import page showing what would change")
    page.get_by_label("Risk register (.xlsx or .csv)").set_input_files(str(good))
    page.get_by_role("button", name="Import these changes").click()
    expect(page).to_have_url(re.compile(r"/risks/$"))
    expect(page.get_by_text("Imported: 1 new risk(s)")).to_be_visible()
