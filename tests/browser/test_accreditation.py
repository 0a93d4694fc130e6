"""A matron records a ward audit: starts it, answers each standard with evidence, completes it and reads the
level with its working; the overview shows the ward's new level. Axe on every page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in

from wellled.accreditation.models import AccreditationScheme, WardAudit
from wellled.core.choices import UnitKind
from wellled.core.services import organisation_unit_create

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_matron_records_a_ward_audit_and_the_panel_awards_it(new_page, org, lead, editor):
    ward = organisation_unit_create(organisation=org, kind=UnitKind.WARD, name="Rowan ward", by=None)
    scheme = AccreditationScheme.objects.get(key="wellled-ward-accreditation").scheme
    page = new_page()
    sign_in(page, lead)
    page.get_by_role("link", name="Accreditation").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ward accreditation")
    check_accessibility(page, "the accreditation overview")

    page.get_by_role("link", name="Record a ward audit").click()
    check_accessibility(page, "the start of an audit")
    page.get_by_label("Ward or team").select_option(label=str(ward))
    visit = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Date of the audit visit").fill(visit.isoformat())
    page.get_by_role("button", name="Start the audit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Audit of Rowan ward")
    check_accessibility(page, "the audit form")
    for standard in scheme.standards():
        if standard.sample is not None:  # a sampled standard: records meeting it, of records checked
            page.get_by_label(f"{standard.code}: {standard.text} Records meeting the standard").fill("9")
            continue
        group = page.get_by_role("group", name=f"{standard.code}: {standard.text}")
        group.get_by_label("Partly met" if standard.code == "LEAD3" else "Met", exact=True).check()
    page.get_by_label("What you saw for LEAD3 (optional)").fill("Four of twenty appraisals are out of date.")
    page.get_by_role("button", name="Save and complete the audit").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit of Rowan ward")
    expect(page.get_by_text("Result: Silver.")).to_be_visible()
    expect(page.get_by_text("Leadership on the ward: 8 of 10 points = 80%")).to_be_visible()
    check_accessibility(page, "the completed audit")
    expect(page.get_by_text("SAFE1: 9 of 10 records = 90%, scored Met")).to_be_visible()
    audit = WardAudit.objects.get(unit=ward)
    assert audit.level_code == "silver" and audit.auditor == lead and audit.decision == "pending"

    page.get_by_role("link", name="Back to Rowan ward").click()
    expect(
        page.get_by_role("img", name="Statistical process control chart of Rowan ward's audit scores")
    ).to_be_visible()
    check_accessibility(page, "the ward's page")

    panel = new_page()
    sign_in(panel, editor, next_path=f"/accreditation/visits/{audit.pk}/")
    check_accessibility(panel, "the audit awaiting the panel")
    panel.get_by_label("Awarded", exact=True).check()
    panel.get_by_label("The panel's reason").fill("Appraisals booked; silver confirmed.")
    panel.get_by_label("Date of the panel").fill(timezone.localdate().isoformat())
    panel.get_by_role("button", name="Record the panel's decision").click()
    expect(panel.get_by_text("Appraisals booked; silver confirmed.")).to_be_visible()
    check_accessibility(panel, "the audit after the panel")
    audit.refresh_from_db()
    assert (audit.decision, audit.awarded_level_code, audit.decided_by) == ("awarded", "silver", editor)


def test_an_editor_downloads_the_wards_and_imports_them_back_changed(new_page, org, editor, tmp_path):
    from tests.spreadsheets import xlsx_bytes

    ward = organisation_unit_create(organisation=org, kind=UnitKind.WARD, name="Rowan ward", by=None)
    page = new_page()
    sign_in(page, editor, next_path="/accreditation/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the wards and their assessments (.xlsx)").click()
    assert download.value.suggested_filename.startswith("wards-")
    page.get_by_role("link", name="Import wards and assessments").click()
    check_accessibility(page, "the wards import page")
    upload = tmp_path / "wards.xlsx"
    upload.write_bytes(
        xlsx_bytes(
            sheets={
                "Wards": [
                    ["Ward ID", "Ward or team", "Kind", "Code"],
                    [f"W{ward.pk}", "Rowan ward", "ward", "RW1"],
                ]
            }
        )
    )
    page.get_by_label("Wards workbook (.xlsx, or .csv for wards alone)").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_contain_text("The file is ready")
    expect(page.get_by_text("(empty) → RW1")).to_be_visible()
    check_accessibility(page, "the wards import page showing what would change")
    page.get_by_label("Wards workbook (.xlsx, or .csv for wards alone)").set_input_files(str(upload))
    page.get_by_role("button", name="Import these changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ward accreditation")
    ward.refresh_from_db()
    assert ward.code == "RW1"
