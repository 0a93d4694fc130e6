"""An answer as a workbook (one sheet per table, with a cover sheet saying what was asked) and as CSV (every table
one after another), every cell made safe against formula injection (core.cells)."""

from __future__ import annotations

import io

from django.utils.text import slugify

from wellled.core.cells import csv_bytes, set_safe_cell
from wellled.core.formatting import long_date

from .answer import AnswerPaper

FORMATS = ("xlsx", "csv")
SHEET_TITLE_CHARS = 31  # Excel's limit on a sheet's name


def filename(paper: AnswerPaper, fmt: str) -> str:
    """'<trust>-<kind>-<as-at>.<ext>', e.g. north-trust-ratings-2026-11-30.xlsx."""
    return f"{slugify(paper.subject_name)[:80] or 'answer'}-{paper.kind}-{paper.as_at.isoformat()}.{fmt}"


def cover(paper: AnswerPaper) -> list[tuple[str, str]]:
    """What the answer is, as label and value pairs: the first lines of every format."""
    return [
        ("Answer", paper.title),
        (
            "About",
            f"{paper.subject_name} ({paper.subject_ods_code})"
            if paper.subject_ods_code
            else paper.subject_name,
        ),
        ("Answered by", paper.answered_by),
        ("What was asked", paper.asked_for),
        ("Position as at", long_date(paper.as_at)),
        (
            "Produced",
            f"{long_date(paper.generated_at)} by {paper.generated_by}, from the records held in Wellled",
        ),
    ]


def render(paper: AnswerPaper, fmt: str) -> bytes:
    if fmt == "xlsx":
        return render_xlsx(paper)
    if fmt == "csv":
        return render_csv(paper)
    raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")


def render_csv(paper: AnswerPaper) -> bytes:
    rows: list[list] = [[label, value] for label, value in cover(paper)]
    for table in paper.tables:
        rows += [[], [table.heading], list(table.columns), *(list(row) for row in table.rows)]
        if table.note:
            rows.append([table.note])
    return csv_bytes(rows)


def render_xlsx(paper: AnswerPaper) -> bytes:
    from wellled.core.workbook import Alignment, Font, Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Answer"
    for row, (label, value) in enumerate(cover(paper), start=1):
        set_safe_cell(sheet.cell(row, 1), label)
        sheet.cell(row, 1).font = Font(bold=True)
        set_safe_cell(sheet.cell(row, 2), value)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 90
    for number, table in enumerate(paper.tables, start=1):
        page = book.create_sheet(
            f"{number} {table.heading}"[:SHEET_TITLE_CHARS].translate(str.maketrans("[]:*?/\\", "(). -- "))
        )
        set_safe_cell(page.cell(1, 1), table.heading)
        page.cell(1, 1).font = Font(bold=True, size=14)
        for col, column in enumerate(table.columns, start=1):
            set_safe_cell(page.cell(3, col), column)
            page.cell(3, col).font = Font(bold=True)
            page.column_dimensions[page.cell(3, col).column_letter].width = 40 if col > 1 else 24
        for row_number, cells in enumerate(table.rows, start=4):
            for col, value in enumerate(cells, start=1):
                set_safe_cell(page.cell(row_number, col), value)
                page.cell(row_number, col).alignment = Alignment(wrap_text=True, vertical="top")
        if table.note:
            set_safe_cell(page.cell(len(table.rows) + 5, 1), table.note)
        page.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
