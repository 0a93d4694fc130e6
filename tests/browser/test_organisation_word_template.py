"""In a real browser, with axe: a governance editor uploads the trust's Word template from the organisation page,
is told clearly when the file is wrong, then sees the template named there; a viewer sees it but cannot change it."""

from __future__ import annotations

import io

import pytest
from docx import Document
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in

from wellled.core.models import WordTemplate

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def template_file(tmp_path):
    document = Document()
    document.styles.add_style("Board Paper Body", 1).font.name = "Georgia"
    path = tmp_path / "northmoor-board.docx"
    document.save(path)
    return path


def test_editor_uploads_the_trusts_word_template_and_a_viewer_sees_it(
    new_page, editor, viewer, org, tmp_path
):
    page = new_page()
    sign_in(page, editor)
    page.goto("/organisation/")
    expect(page.get_by_text("Board papers in Word use Wellled's own styles.")).to_be_visible()
    page.get_by_role("link", name="Upload the trust's Word template").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Word template for board papers")
    check_accessibility(page, "the Word template page")

    wrong = tmp_path / "minutes.pdf"
    wrong.write_bytes(b"%PDF-1.7 minutes")
    page.get_by_label("Upload a Word document").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload the template").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("‘minutes.pdf’ is not a Word document: upload a .docx file.")
    check_accessibility(page, "the Word template page with an error")
    assert not WordTemplate.objects.exists()

    page.get_by_label("Upload a Word document").set_input_files(str(template_file(tmp_path)))
    page.get_by_role("button", name="Upload the template").click()
    expect(page.get_by_role("status").or_(page.locator(".nhsuk-notification-banner"))).to_contain_text(
        "Board papers in Word now use the styles of ‘northmoor-board.docx’."
    )
    expect(page.get_by_role("link", name="northmoor-board.docx")).to_be_visible()
    check_accessibility(page, "the organisation page with a Word template")

    reader = new_page()
    sign_in(reader, viewer)
    reader.goto("/organisation/")
    expect(reader.get_by_role("link", name="northmoor-board.docx")).to_be_visible()
    expect(reader.get_by_role("link", name="Replace the template")).to_have_count(0)
    with reader.expect_download() as download:
        reader.get_by_role("link", name="northmoor-board.docx").click()
    styles = Document(io.BytesIO(open(download.value.path(), "rb").read())).styles  # noqa: SIM115
    assert styles["Board Paper Body"].font.name == "Georgia"
