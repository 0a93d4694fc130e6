"""The plan import stops at its row limit whatever the file claims, and refuses implausible dates by row and
column (issue 25): the 2,050,000-row workbook, two million blank rows, a CSV of two million lines."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from tests.big_sheets import ISSUE_ROWS, blank_workbook, huge_csv, issue_workbook
from tests.spreadsheets import HEADER, xlsx_file

from wellled.core.workbook import scan_limit
from wellled.plans.spreadsheet.importer import plan_import_preview
from wellled.plans.spreadsheet.read import MAX_ROWS, SpreadsheetFile, UnreadableFile, read_spreadsheet


def test_the_issue_workbook_is_refused_at_the_row_limit():
    data = issue_workbook(tuple(HEADER), (1, 2, 3))
    assert len(data) < 1_000_000
    with pytest.raises(UnreadableFile, match=f"more than {MAX_ROWS:,} rows"):
        read_spreadsheet(SpreadsheetFile("plan.xlsx", data))


def test_two_million_blank_rows_are_refused_at_the_scan_limit():
    with pytest.raises(UnreadableFile, match=f"runs past row {scan_limit(MAX_ROWS):,}, counting blank rows"):
        read_spreadsheet(SpreadsheetFile("plan.xlsx", blank_workbook(tuple(HEADER))))


def test_a_csv_of_two_million_lines_is_refused_at_the_row_limit():
    data = huge_csv(["Ref", "Planned action"], ["1"], rows=ISSUE_ROWS)
    with pytest.raises(UnreadableFile, match=f"more than {MAX_ROWS:,} rows"):
        read_spreadsheet(SpreadsheetFile("plan.csv", data))
    blank = b"Ref,Planned action\n" + b"\n" * ISSUE_ROWS
    with pytest.raises(UnreadableFile, match="counting blank rows"):
        read_spreadsheet(SpreadsheetFile("plan.csv", blank))


def _errors(org, editor, file):
    preview = plan_import_preview(
        organisation=org, plan_or_none=None, file=file, by=editor, plan_name="Imported"
    )
    return [str(p) for p in preview.problems if p.level == "error"]


@pytest.mark.django_db
def test_a_timescale_far_ahead_or_a_date_cell_before_1948_is_refused_naming_row_and_column(org, editor):
    far = timezone.localdate().year + 11
    rows = [
        HEADER,
        ["W1a", "Coach leaders", f"March {far}", None, "Done", None, None],
        ["W1b", "Audit the wards", datetime.date(1900, 1, 1), None, "Done", None, None],
        ["W1c", "Train the board", datetime.date(9999, 12, 31), None, "Done", None, None],
        ["W1d", "Publish the plan", "March 2026", None, "Done", None, None],
    ]
    errors = _errors(org, editor, xlsx_file(rows))
    assert len(errors) == 3, errors
    assert errors[0].startswith(
        f"Row 2, column ‘Timescale’: ‘March {far}’: 31 March {far} is more than ten years"
    )
    assert errors[1].startswith(
        "Row 3, column ‘Timescale’: 1 January 1900 is before 1948, so it cannot be right"
    )
    assert errors[2].startswith("Row 4, column ‘Timescale’: 31 December 9999 is more than ten years ahead")


@pytest.mark.django_db
def test_an_update_dated_before_1948_is_refused_naming_row_and_column(org, editor):
    rows = [
        ["Ref", "Planned action", "Timescale", "Progress update", "Update date", "RAG"],
        ["W1a", "Coach leaders", "March 2026", "Sessions booked", datetime.date(1901, 1, 1), "G"],
    ]
    errors = _errors(org, editor, xlsx_file(rows))
    assert any(e.startswith("Row 2, column ‘Update date’: 1 January 1901 is before 1948") for e in errors), (
        errors
    )
