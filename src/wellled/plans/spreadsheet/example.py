"""An example action-plan workbook to download from the import page: the shape a trust's own Word-table-turned-
spreadsheet usually has (headings as rows, revised timescales in one cell, several leads, status spellings), so a
governance team can see what the import reads before they upload their own. Fictional content, our own words."""

from __future__ import annotations

import datetime

from .column_rules import ACTION_PLAN_HEADINGS

EXAMPLE_FILE_NAME = "wellled-example-action-plan.xlsx"
TITLE = "Example trust: well-led action plan (position as at 31 October 2026)"
HEADINGS = ACTION_PLAN_HEADINGS
# Section headings sit in the first column on a row of their own, as they do when a Word table is pasted into Excel.
ROWS: tuple[tuple, ...] = (
    ("W1 Is there the leadership capacity and capability to deliver high quality, sustainable care?",),
    (
        "W1a",
        "Run a leadership programme for ward and department managers",
        "January 2026 May 2026",
        "RD",
        "120 managers enrolled; 80% finish every module",
        "96 enrolled; the second cohort starts in November.",
        datetime.date(2026, 10, 28),
        "Amber/Green",
    ),
    (
        "W1b",
        "Agree a succession plan for every executive post",
        "March 2026 September 2026 December 2026",
        "RD / TN",
        "Plan approved by the Nominations Committee",
        "Two interim appointments still to be made. UPDATE AWAITED",
        None,
        "A/R",
    ),
    ("W3 Are there clear responsibilities, roles and systems of accountability?",),
    (
        "W3a",
        "Review the terms of reference of every board committee",
        "Q3 2026/27",
        "Varied",
        "Every committee has reviewed its terms of reference",
        "Four of six committees have finished.",
        datetime.date(2026, 10, 20),
        "green",
    ),
    (
        "W3b",
        "Publish a register of contracts with a named owner for each",
        "31/12/2026",
        "MW",
        "Register published; no contract without an owner",
        "",
        None,
        "",
    ),
)


def example_workbook() -> bytes:
    """The example as .xlsx bytes."""
    from wellled.core.workbook import Font, new_workbook, workbook_bytes

    book = new_workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append([TITLE])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(list(HEADINGS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(list(row))
        if len(row) == 1:
            sheet.merge_cells(
                start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(HEADINGS)
            )
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (7, 48, 26, 10, 36, 48, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=4, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "d mmmm yyyy"
    return workbook_bytes(book)
