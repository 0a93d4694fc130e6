"""Imports keep to the same limits as the forms (docs/limits.md): a cell over a field's limit is an error naming
its row and column, and a cell longer than Excel allows is refused while the file is read, before it becomes data."""

import io
import zipfile

import pytest
from tests.spreadsheets import HEADER, csv_file, xlsx_bytes, xlsx_file

from wellled.core import limits
from wellled.plans.models import Action
from wellled.plans.spreadsheet.importer import plan_import_apply, plan_import_preview
from wellled.plans.spreadsheet.read import (
    MAX_CELL_CHARS,
    SpreadsheetFile,
    UnreadableFile,
    read_spreadsheet,
)

SHARED_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_STRINGS_REL = (
    '<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def _with_shared_string(data: bytes, text: str) -> bytes:
    """The workbook with the cell holding PLACEHOLDER turned into a shared string of `text`, as Excel stores
    text (openpyxl writes inline strings), the rest untouched."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename).decode()
            if info.filename == "xl/worksheets/sheet1.xml":
                before = content
                content = content.replace('t="inlineStr"><is><t>PLACEHOLDER</t></is>', 't="s"><v>0</v>')
                assert content != before
            elif info.filename == "[Content_Types].xml":
                content = content.replace("</Types>", SHARED_STRINGS_TYPE + "</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace("</Relationships>", SHARED_STRINGS_REL + "</Relationships>")
            target.writestr(info.filename, content)
        target.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            f"<si><t>{text}</t></si></sst>",
        )
    return out.getvalue()


def test_workbook_with_a_cell_longer_than_excel_allows_is_refused_naming_the_cell():
    data = xlsx_bytes([HEADER, ["W1a", "PLACEHOLDER", "March 2026", "RG", "x", None, "G"]])
    huge = _with_shared_string(data, "a" * (MAX_CELL_CHARS + 1))
    with pytest.raises(UnreadableFile) as refused:
        read_spreadsheet(SpreadsheetFile("plan.xlsx", huge))
    assert "Cell B2 of sheet ‘Action plan’ holds more than 32,767 characters" in str(refused.value)


def test_workbook_with_a_cell_of_many_megabytes_is_refused_while_reading_it_in_pieces():
    data = xlsx_bytes([HEADER, ["W1a", "PLACEHOLDER", "March 2026", "RG", "x", None, "G"]])
    huge = _with_shared_string(data, "word " * 4_000_000)  # 20 MB of text, a few hundred KB zipped
    assert len(huge) < 1_000_000
    assert read_spreadsheet(SpreadsheetFile("plan.xlsx", _with_shared_string(data, "Fine"))).row_count == 2
    with pytest.raises(UnreadableFile, match="more than 32,767 characters"):
        read_spreadsheet(SpreadsheetFile("plan.xlsx", huge))


def test_workbook_with_an_inline_string_too_long_is_refused():
    data = xlsx_bytes([HEADER, ["W1a", "Short", "March 2026", "RG", "x", None, "G"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                inline = f'<c r="H2" t="inlineStr"><is><t>{"b" * 40_000}</t></is></c></row>'
                content = content.decode().replace("</row></sheetData>", inline + "</sheetData>", 1).encode()
            target.writestr(info.filename, content)
    with pytest.raises(UnreadableFile, match="Cell H2"):
        read_spreadsheet(SpreadsheetFile("plan.xlsx", out.getvalue()))


def test_csv_with_a_cell_longer_than_excel_allows_is_refused_naming_row_and_column():
    text = "Ref,Planned action,Lead\nW1a," + "c" * (MAX_CELL_CHARS + 5) + ",RG\n"
    with pytest.raises(UnreadableFile, match="Row 2, column B, holds more than 32,767"):
        read_spreadsheet(csv_file(text))


@pytest.mark.django_db
def test_import_refuses_a_planned_action_over_its_limit_naming_row_and_column(org, editor):
    limit = limits.ACTION_TITLE_CHARS
    rows = [
        HEADER,
        ["W1a", "x" * (limit + 1), "March 2026", None, "Done", None, None],
        ["W1b", "y" * limit, "March 2026", None, "Done", None, None],
    ]
    preview = plan_import_preview(
        organisation=org, plan_or_none=None, file=xlsx_file(rows), by=editor, plan_name="Imported"
    )
    errors = [str(p) for p in preview.problems if p.level == "error"]
    assert errors == [
        f"Row 2, column ‘Planned action’: W1a: This is {limit + 1:,} characters long, more than the "
        f"{limit:,} allowed. Shorten it."
    ]


@pytest.mark.django_db
def test_import_refuses_a_progress_update_over_its_limit_and_nothing_is_saved(org, editor):
    limit = limits.PROGRESS_NARRATIVE_CHARS
    rows = [HEADER, ["W1a", "Coach leaders", "March 2026", None, "Done", "p" * (limit + 1), "G"]]
    with pytest.raises(Exception) as refused:
        plan_import_apply(
            organisation=org, plan_or_none=None, file=xlsx_file(rows), by=editor, plan_name="Imported"
        )
    assert "column ‘Progress update’" in str(refused.value) or "Progress update" in repr(refused.value)
    assert not Action.objects.filter(reference="W1a").exists()
