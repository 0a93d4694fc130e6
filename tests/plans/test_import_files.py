"""Files that are not a readable spreadsheet are refused with a clear message, and nothing at all is saved."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import db_state
from tests.spreadsheets import HEADER, ole_file, with_sheet_xml, xlsx_bytes

from wellled.plans.spreadsheet import read
from wellled.plans.spreadsheet.importer import ImportRefused, plan_import_apply, plan_import_preview
from wellled.plans.spreadsheet.read import SpreadsheetFile, UnreadableFile, load_file, max_upload_bytes

GOOD = xlsx_bytes([HEADER, ["W1a", "Coach ward leaders", "March 2026", None, None, None, "G"]])
DAMAGED = (
    "The workbook is damaged or incomplete (it may not have finished saving or uploading). Open it in Excel, "
    "save it again and upload it."
)
BROKEN = [
    (
        "notes.xlsx",
        b"These are meeting notes, not a workbook.",
        "‘notes.xlsx’ is not an Excel workbook, although its name ends in .xlsx. Save the action plan from Excel as an "
        "Excel Workbook (.xlsx) or as CSV, and upload that.",
    ),
    ("plan.xlsx", GOOD[: len(GOOD) // 2], DAMAGED),
    (
        "plan.xlsx",
        ole_file(encrypted=True),
        "This workbook is password-protected, so it cannot be read. Open it in Excel, remove the password (File > Info "
        "> Protect Workbook > Encrypt with Password), save it and upload it again.",
    ),
    (
        "plan.xls",
        ole_file(encrypted=False),
        "This is an Excel 97–2003 workbook (.xls) or another old Office file. Open it in Excel, save it as an Excel "
        "Workbook (.xlsx) or as CSV, and upload that.",
    ),
    (
        "plan.pdf",
        b"%PDF-1.7 a board paper",
        "Upload an Excel workbook (.xlsx) or a CSV file (.csv): ‘plan.pdf’ is neither.",
    ),
    (
        "plan.csv",
        GOOD,
        "‘plan.csv’ is an Excel workbook although its name ends in .csv. Rename it to end in .xlsx, or save it from "
        "Excel as CSV.",
    ),
    (
        "plan.csv",
        b"\x00\x01binary\x00data",
        "‘plan.csv’ is not a CSV text file. Save the action plan from Excel as CSV (comma delimited), or upload the "
        "workbook (.xlsx) itself.",
    ),
    ("plan.csv", b"  \r\n", "The file is empty."),
    (
        "plan.xlsx",
        with_sheet_xml(
            GOOD,
            lambda xml: (
                b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aa">'
                b'<!ENTITY b "&a;&a;&a;">]>' + xml.replace(b"<v>", b"<v>&b;", 1)
            ),
        ),
        "The workbook contains XML that Wellled does not open (entity declarations), so it has not been read.",
    ),
]


def word_document() -> bytes:
    """A zip with [Content_Types].xml, as every Office file has, but a document rather than a workbook."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    BROKEN
    + [
        (
            "plan.xlsx",
            word_document(),
            "‘plan.xlsx’ is not an Excel workbook, although its name ends in .xlsx. Save the action plan from Excel as an "
            "Excel Workbook (.xlsx) or as CSV, and upload that.",
        ),
    ],
)
def test_unreadable_file_is_refused_with_its_reason_and_nothing_saved_when_imported(
    org, editor, plan, name, data, message
):
    file = SpreadsheetFile(name, data)
    preview = plan_import_preview(organisation=org, plan_or_none=plan, file=file, by=editor)
    assert not preview.readable and [str(p) for p in preview.problems] == [message]
    before = db_state()
    with pytest.raises(ImportRefused):
        plan_import_apply(organisation=org, plan_or_none=plan, file=file, by=editor)
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "message"), BROKEN[:3])
def test_unreadable_upload_is_refused_on_the_form_and_nothing_saved_when_uploaded(
    login, editor, plan, name, data, message
):
    client = login(editor)
    before = db_state()
    response = client.post(reverse("plan-import", args=[plan.pk]), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert db_state() == before


@pytest.mark.django_db
def test_file_over_the_limit_is_refused_unread_when_the_setting_is_lowered(
    login, org, editor, plan, settings
):
    settings.WELLLED_MAX_UPLOAD_BYTES = 2048
    data = b"Ref,Planned action\r\n" + b"W1a,Coach ward leaders\r\n" * 200
    message = (
        "The file is 4 KB, more than the 2 KB this site accepts. Remove anything that is not the action plan "
        "(other sheets, pictures), or split it, and upload it again."
    )
    preview = plan_import_preview(
        organisation=org, plan_or_none=plan, file=SimpleUploadedFile("big.csv", data), by=editor
    )
    assert [str(p) for p in preview.problems] == [message]
    before = db_state()
    response = login(editor).post(
        reverse("plan-import", args=[plan.pk]), {"file": SimpleUploadedFile("big.csv", data)}
    )
    assert response.status_code == 200 and "more than the 2 KB this site accepts" in response.content.decode()
    assert db_state() == before


def test_default_limit_is_ten_megabytes_and_a_byte_more_is_refused_when_read():
    assert max_upload_bytes() == 10 * 1024 * 1024
    too_big = b"x" * (10 * 1024 * 1024 + 1)
    with pytest.raises(UnreadableFile) as caught:
        load_file(SimpleUploadedFile("huge.csv", too_big))  # refused by its size, before it is read
    assert str(caught.value).startswith("The file is 10.0 MB, more than the 10 MB this site accepts.")
    with pytest.raises(UnreadableFile):
        read.read_spreadsheet(SpreadsheetFile("huge.csv", too_big))
    assert read.read_spreadsheet(SpreadsheetFile("ok.xlsx", GOOD)).row_count == 2


def test_workbook_that_would_expand_too_far_is_refused_when_read(monkeypatch):
    monkeypatch.setattr(read, "MAX_EXPANDED_BYTES", 4096)
    with pytest.raises(UnreadableFile) as caught:
        read.read_spreadsheet(SpreadsheetFile("plan.xlsx", GOOD))
    assert str(caught.value) == (
        "The workbook would take up more than 4 KB once opened, far more than its rows "
        "need. Remove pictures and other sheets, save it and upload it again."
    )


def test_file_with_too_many_rows_is_refused_when_read(monkeypatch):
    monkeypatch.setattr(read, "MAX_ROWS", 3)
    data = ("Ref,Planned action\r\n" + "".join(f"W{i},Action {i}\r\n" for i in range(5))).encode()
    with pytest.raises(UnreadableFile) as caught:
        read.read_spreadsheet(SpreadsheetFile("plan.csv", data))
    assert (
        str(caught.value) == "The file has more than 3 rows. Split it, or check that it is the action plan."
    )


@pytest.mark.django_db
def test_a_50_megabyte_upload_is_refused_on_the_page_and_nothing_saved(login, editor, plan):
    data = b"Ref,Planned action\r\n" + b"W1a,Coach ward leaders\r\n" * (50 * 1024 * 1024 // 24)
    assert len(data) >= 50 * 1024 * 1024 - 24
    before = db_state()
    response = login(editor).post(
        reverse("plan-import", args=[plan.pk]), {"file": SimpleUploadedFile("everything.csv", data)}
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "The file is 50.0 MB, more than the 10 MB this site accepts." in page
    assert db_state() == before
