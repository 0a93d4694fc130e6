"""The measures' values import stops at its row limit whatever the file claims, and refuses implausible periods by
row and column (issue 25)."""

from __future__ import annotations

import pytest
from tests.big_sheets import ISSUE_ROWS, blank_workbook, huge_csv, huge_workbook, issue_workbook

from wellled.core.workbook import scan_limit
from wellled.measures import importers

pytestmark = pytest.mark.django_db


def _errors(name, data, measures):
    return [str(e) for e in importers.parse_upload(name=name, data=data, measures=measures).errors]


def test_the_issue_workbook_is_refused_at_the_row_limit(measure):
    data = issue_workbook()  # tiny rows of figures: the zip check (250 MB unpacked) is not what refuses it
    assert _errors("values.xlsx", data, [measure]) == [
        f"The file has more than {importers.MAX_ROWS:,} rows. Split it and upload each part."
    ]


def test_two_million_blank_rows_are_refused_at_the_scan_limit(measure):
    assert _errors("values.xlsx", blank_workbook(), [measure]) == [
        f"The file runs past row {scan_limit(importers.MAX_ROWS + 1):,}, counting blank rows. Delete the empty "
        "rows below the data, or split it, and upload each part."
    ]


def test_a_csv_of_two_million_lines_is_refused_at_the_row_limit(measure):
    data = huge_csv(["measure", "period", "value"], [1], rows=ISSUE_ROWS)
    assert len(data) < importers.MAX_BYTES
    assert _errors("values.csv", data, [measure]) == [
        f"The file has more than {importers.MAX_ROWS:,} rows. Split it and upload each part."
    ]


def test_rows_past_what_a_workbook_claims_are_read(measure):
    """The sheet claims three rows (A1:C3); the fifth row's repeat of the period is still found."""
    data = huge_workbook(["measure", "period", "value"], ["Overdue risk reviews", "2025-04", 268], rows=1)
    parsed = importers.parse_upload(name="values.xlsx", data=data, measures=[measure])
    assert parsed.ok and len(parsed.rows) == 1
    data = huge_workbook(["measure", "period", "value"], ["Overdue risk reviews", "2025-04", 268], rows=5)
    errors = _errors("values.xlsx", data, [measure])
    assert (
        errors[-1]
        == "Row 6, column ‘period’: Overdue risk reviews already has a row for this period (row 2)."
    )


@pytest.mark.parametrize(
    ("period", "problem"),
    [
        ("1900-01", "1 January 1900 is before 1948, so it cannot be right"),
        ("9999-12", "1 December 9999 is more than ten years ahead, so it cannot be right"),
    ],
)
def test_an_implausible_period_is_refused_naming_row_and_column(measure, period, problem):
    text = f"measure,period,value\nOverdue risk reviews,2025-01,250\nOverdue risk reviews,{period},240\n"
    errors = _errors("values.csv", text.encode(), [measure])
    assert len(errors) == 1 and errors[0].startswith(f"Row 3, column ‘period’: {problem}")
