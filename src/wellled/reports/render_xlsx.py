"""The board paper as an Excel workbook: one row per action, status colours, filters, a frozen header, a legend."""

from __future__ import annotations

import io

from wellled.core.cells import set_safe_cell
from wellled.core.text import xml_safe
from wellled.core.workbook import Alignment, Border, Font, PatternFill, Side, Workbook, get_column_letter

from .board_paper import NO_UPDATE_LABEL, BoardPaper
from .render_csv import COLUMNS, row_values

WIDTHS = {
    "Section": 9,
    "Section title": 24,
    "Ref": 8,
    "Planned action": 40,
    "Risks mitigated": 30,
    "Timescale": 24,
    "Due date": 12,
    "Lead": 12,
    "Success measure": 30,
    "Progress update": 70,
    "Progress reported on": 13,
    "Status": 8,
    "Status label": 14,
    "State": 12,
    "Overdue": 9,
    "Timescale slipped this cycle": 12,
    "Update awaited": 10,
    "Findings": 10,
    "Position as at": 13,
    "Linked measure": 28,
    "Measure latest value": 12,
    "Measure period": 11,
    "Variation": 18,
    "Assurance": 20,
    "Measure target": 11,
    "Target met": 9,
}
HEADER_FILL = PatternFill("solid", fgColor="005EB8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="AEB7BD")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "d mmm yyyy"


def render_xlsx(paper: BoardPaper) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    _actions_sheet(sheet, paper)
    if paper.part_b:
        _part_b_sheet(workbook.create_sheet("Part B"), paper)
    if any(b.about for b in paper.part_a):
        _sections_sheet(workbook.create_sheet("Sections"), paper)
    _legend_sheet(workbook.create_sheet("Legend"), paper)
    _summary_sheet(workbook.create_sheet("Summary"), paper)
    workbook.properties.title = xml_safe(f"{paper.plan_name}: position as at {paper.as_at_text}")
    workbook.properties.creator = "Wellled"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _actions_sheet(sheet, paper: BoardPaper) -> None:
    status_col = COLUMNS.index("Status") + 1
    fills: dict[str, tuple[PatternFill, Font]] = {
        s.code: (
            PatternFill("solid", fgColor=s.colour.lstrip("#").upper()),
            Font(bold=True, color=s.text_colour.lstrip("#").upper()),
        )
        for s in paper.statuses
    }
    for col, title in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col)
        set_safe_cell(cell, title)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = WIDTHS.get(title, 14)
    date_columns = {
        COLUMNS.index(name) + 1 for name in ("Due date", "Progress reported on", "Position as at")
    }
    for index, row in enumerate(paper.rows, start=2):
        for col, value in enumerate(row_values(paper, row), start=1):
            cell = sheet.cell(row=index, column=col)
            if col in date_columns:
                cell.value = value
                cell.number_format = DATE_FORMAT
            else:
                set_safe_cell(cell, value)
            cell.alignment = WRAP
            cell.border = BORDER
        if row.status and row.status.code in fills:
            cell = sheet.cell(row=index, column=status_col)
            cell.fill, cell.font = fills[row.status.code]
            cell.alignment = Alignment(horizontal="center", vertical="top")
    last = get_column_letter(len(COLUMNS))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(paper.rows) + 1)}"
    sheet.row_dimensions[1].height = 30
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.left.text = f"{paper.trust_name} ({paper.ods_code})"
    sheet.oddHeader.right.text = f"Position as at {paper.as_at_text}"
    sheet.oddFooter.right.text = "Page &P of &N"


PART_B_COLUMNS = (
    ("Finding", 8),
    ("Finding text", 50),
    ("Category", 14),
    ("Ref", 8),
    ("Planned action", 40),
    ("Lead", 12),
    ("Progress update", 60),
    ("Status", 8),
    ("Update awaited", 10),
)


def _header(sheet, columns) -> None:
    for col, (title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=col)
        set_safe_cell(cell, title)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"


def _part_b_sheet(sheet, paper: BoardPaper) -> None:
    """Part B as the board reads it: each finding's text with the actions that answer it (a finding no action
    answers yet has a row of its own)."""
    _header(sheet, PART_B_COLUMNS)
    set_safe_cell(sheet.cell(row=1, column=len(PART_B_COLUMNS) + 2), paper.part_b_title)
    fills = {s.code: (PatternFill("solid", fgColor=s.colour.lstrip("#").upper()), s) for s in paper.statuses}
    index = 2
    for block in paper.part_b:
        for row in block.rows or (None,):
            values = [block.number, block.text, block.finding_type]
            if row is None:
                values += ["", "No action answers this finding yet.", "", "", "", ""]
            else:
                awaited = "Yes" if row.update_awaited else "No"
                values += [row.reference, row.title, row.leads, row.progress, row.status_code, awaited]
            for col, value in enumerate(values, start=1):
                cell = sheet.cell(row=index, column=col)
                set_safe_cell(cell, value)
                cell.alignment, cell.border = WRAP, BORDER
            if row is not None and row.status and row.status.code in fills:
                fill, status = fills[row.status.code]
                cell = sheet.cell(row=index, column=8)
                cell.fill = fill
                cell.font = Font(bold=True, color=status.text_colour.lstrip("#").upper())
            index += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(PART_B_COLUMNS))}{max(1, index - 1)}"


def _sections_sheet(sheet, paper: BoardPaper) -> None:
    """Each section's purpose and executive lead (the Actions sheet names the section of every action)."""
    _header(sheet, (("Section", 9), ("Title", 40), ("Purpose", 60), ("Executive lead", 24)))
    for index, block in enumerate(paper.part_a, start=2):
        for col, value in enumerate((block.code, block.title, block.purpose, block.executive_lead), start=1):
            cell = sheet.cell(row=index, column=col)
            set_safe_cell(cell, value)
            cell.alignment, cell.border = WRAP, BORDER


def _legend_sheet(sheet, paper: BoardPaper) -> None:
    for col, title in enumerate(("Status", "Label", "Meaning"), start=1):
        cell = sheet.cell(row=1, column=col, value=title)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
    for index, status in enumerate(paper.statuses, start=2):
        code = sheet.cell(row=index, column=1)
        set_safe_cell(code, status.code)
        code.fill = PatternFill("solid", fgColor=status.colour.lstrip("#").upper())
        code.font = Font(bold=True, color=status.text_colour.lstrip("#").upper())
        code.alignment = Alignment(horizontal="center")
        set_safe_cell(sheet.cell(row=index, column=2), status.label)
        set_safe_cell(sheet.cell(row=index, column=3), status.meaning)
    last = len(paper.statuses) + 2
    set_safe_cell(sheet.cell(row=last, column=1), "")
    set_safe_cell(sheet.cell(row=last, column=2), NO_UPDATE_LABEL)
    set_safe_cell(sheet.cell(row=last, column=3), "No progress reported yet (the Status cell is empty).")
    for row in sheet.iter_rows(min_row=2, max_row=last):
        for cell in row:
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal)
    sheet.column_dimensions["A"].width = 9
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 80
    sheet.freeze_panes = "A2"


def _summary_sheet(sheet, paper: BoardPaper) -> None:
    bold = Font(bold=True)
    lines: list[tuple[str, object]] = [
        ("Trust", f"{paper.trust_name} ({paper.ods_code})"),
        ("Plan", paper.plan_name),
        ("Position as at", paper.as_at),
        ("Reporting cycle", paper.cycle_name or "None"),
        ("Previous paper", paper.movement.baseline_date or "None"),
        ("Actions", paper.total),
        ("", ""),
    ]
    lines += [(f"{c.code} {c.label}" if c.status else NO_UPDATE_LABEL, c.count) for c in paper.counts]
    lines += [
        ("", ""),
        ("Improved", len(paper.movement.improved)),
        ("Worsened", len(paper.movement.worsened)),
        ("Newly completed", len(paper.movement.newly_completed)),
        ("Timescale slipped", len(paper.movement.slipped)),
        ("", ""),
        ("At risk or off track", ", ".join(r.reference for r in paper.exceptions.at_risk) or "None"),
        ("Timescales slipped this cycle", ", ".join(r.reference for r in paper.exceptions.slipped) or "None"),
        ("Updates awaited", ", ".join(r.reference for r in paper.exceptions.awaiting) or "None"),
        (
            "Complete, measure not improved",
            ", ".join(r.reference for r in paper.exceptions.not_improved) or "None",
        ),
    ]
    for index, (label, value) in enumerate(lines, start=1):
        set_safe_cell(sheet.cell(row=index, column=1), label)
        sheet.cell(row=index, column=1).font = bold
        cell = sheet.cell(row=index, column=2)
        if hasattr(value, "isoformat"):
            cell.value = value
            cell.number_format = DATE_FORMAT
        else:
            set_safe_cell(cell, value)
        cell.alignment = Alignment(horizontal="left", wrap_text=True)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 80
