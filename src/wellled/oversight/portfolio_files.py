"""The portfolio as a spreadsheet (csv or xlsx): the same rows for the page's download and `wellled portfolio`."""

from __future__ import annotations

import io

from wellled.core.cells import csv_bytes, safe_cell, set_safe_cell

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def portfolio_file(headers: list[str], rows: list[list], *, fmt: str, title: str) -> bytes:
    """The rows in the chosen format."""
    return render_csv(headers, rows) if fmt == "csv" else render_xlsx(headers, rows, title)


def render_csv(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads the trusts' names right."""
    return csv_bytes([headers, *rows])


def render_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    """One sheet, headings bold and frozen, text always stored as text (never as a formula)."""
    from wellled.core.workbook import Font, Workbook, WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Portfolio")
    sheet.freeze_panes = "B2"
    heading_row = []
    for heading in headers:
        cell = WriteOnlyCell(sheet)
        set_safe_cell(cell, heading)
        cell.font = Font(bold=True)
        heading_row.append(cell)
    sheet.append(heading_row)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet)
            set_safe_cell(cell, value)
            if hasattr(value, "isoformat"):
                cell.number_format = "d mmm yyyy"
            cells.append(cell)
        sheet.append(cells)
    book.properties.title = safe_cell(title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
