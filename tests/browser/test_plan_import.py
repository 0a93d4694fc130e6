"""Importing a plan's spreadsheet in a real browser, with axe on every page: a file with a mistake is refused with
its problems listed by row and column; the corrected file shows a preview; Import brings the actions in; the plan
then downloads as Excel."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.factories import make_person
from tests.spreadsheets import HEADER, xlsx_bytes

from wellled.core.choices import Role
from wellled.plans.models import Action

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WRONG = [HEADER, ["W1d", "Open a leadership academy", "Q3 2026/27", "RG", "Academy open", None, "Purple"]]
RIGHT = [
    HEADER,
    ["W1d", "Open a leadership academy", "Q3 2026/27", "RG", "Academy open", "Site chosen.", "A/G"],
]


def test_editor_imports_a_spreadsheet_after_fixing_what_the_preview_flagged(
    new_page, org, editor, plan, tmp_path
):
    make_person(org, role=Role.LEAD, username="rosa", first_name="Rosa", last_name="Green", initials="RG")
    page = new_page()
    sign_in(page, editor)
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="Import from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import from a spreadsheet")
    check_accessibility(page, "the import page")

    wrong = tmp_path / "plan.xlsx"
    wrong.write_bytes(xlsx_bytes(WRONG))
    page.locator("input[type=file][name=file]").set_input_files(str(wrong))
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("table").filter(has_text="Purple")
    expect(problems).to_contain_text("RAG")
    expect(problems.locator("th").first).to_be_visible()
    check_accessibility(page, "the import page listing problems")
    assert not Action.objects.filter(plan=plan, reference="W1d").exists()

    wrong.write_bytes(xlsx_bytes(RIGHT))
    page.locator("input[type=file][name=file]").set_input_files(str(wrong))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what plan.xlsx will change")
    expect(page.get_by_text("New action: Open a leadership academy")).to_be_visible()
    check_accessibility(page, "the import preview")
    page.get_by_role("button", name="Import 1 action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("plan.xlsx has been imported")
    check_accessibility(page, "the import result")
    action = Action.objects.get(plan=plan, reference="W1d")
    assert action.status.code == "A/G" and action.lead.initials == "RG"

    page.goto(f"/plans/{plan.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel", exact=False).first.click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active  # noqa: SIM115
    header, *rows = list(sheet.iter_rows(values_only=True))
    refs = [row[header.index("Ref")] for row in rows]
    assert refs == ["W1a", "W1b", "W1c", "W1d"]
