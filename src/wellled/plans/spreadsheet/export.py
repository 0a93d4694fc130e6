"""Export a plan to .xlsx or .csv in the layout the import reads, so that exporting and importing gives the same plan.

One row per action in board order: section, reference, planned action, timescale with its revisions ("March 2019 →
July 2019"), leads by initials, success measure, the latest progress update and its date, the status code, and the
findings it answers. Text that a spreadsheet could run as a formula is neutralised (wellled.core.cells).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from wellled.core.cells import safe_cell
from wellled.core.formatting import iso_day, long_date
from wellled.core.models import Organisation, User
from wellled.core.text import xml_safe

from ..models import Plan
from ..selectors import plan_actions
from ..timescales import timescale_texts
from .column_rules import ACTION_PLAN_HEADINGS
from .lead_rules import LEAD_NOTES

HEADINGS = ("Section", *ACTION_PLAN_HEADINGS)
FINDINGS_HEADING = "Findings"
REVISION_ARROW = " → "
LEAD_SEPARATOR = " / "
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
COLUMN_WIDTHS = {
    "Section": 28,
    "Ref": 8,
    "Planned action": 50,
    "Timescale": 24,
    "Lead": 14,
    "Success measure": 36,
    "Progress update": 70,
    "Update date": 16,
    "Status": 9,
    FINDINGS_HEADING: 50,
}
HEADER_FILL = "005EB8"  # NHS blue
UPDATE_DATE_FORMAT = "d mmmm yyyy"
SHEET_TITLE_LIMIT = 31  # Excel's limit
SHEET_TITLE_FORBIDDEN_RE = re.compile(r"[\[\]:*?/\\]")


def lead_note_text(note: str) -> str:
    """A note about who leads as the import reads it back: 'Varied' as it is, anything else in brackets."""
    return note if note.lower().strip(".") in LEAD_NOTES else f"({note})"


@dataclass(frozen=True)
class ExportFile:
    """A file to download: its name, type and bytes."""

    name: str
    content_type: str
    data: bytes


def plan_export_rows(*, user: User, organisation: Organisation, plan: Plan) -> tuple[list[str], list[list]]:
    """The headings and one row per action, read through the plan selectors (so scoped like the plan page)."""
    actions = plan_actions(user=user, organisation=organisation, plan=plan, on=timezone.localdate())
    # As on the plan page: actions with no section come last.
    actions.sort(key=lambda a: a.action.section_id is None)
    with_findings = any(a.findings for a in actions)
    headings = [*HEADINGS, FINDINGS_HEADING] if with_findings else list(HEADINGS)
    rows = []
    for action_row in actions:
        action = action_row.action
        section = action.section
        texts = timescale_texts(
            action_row.revisions, due_date=action.due_date, precision=action.due_precision
        )
        leads = [p.display_initials for p in action_row.leads] + (
            [lead_note_text(action.lead_note)] if action.lead_note else []
        )
        latest = action_row.latest_update
        row = [
            (
                f"{section.code}: {section.title}"
                if section.title and section.title != section.code
                else section.code
            )
            if section
            else "",
            action.reference,
            action.title,
            REVISION_ARROW.join(texts),
            LEAD_SEPARATOR.join(leads),
            action.success_measure,
            latest.narrative if latest else "",
            latest.update_date if latest else None,
            action_row.status.code if action_row.status else "",
        ]
        if with_findings:
            row.append("\n".join(f"{f.number}. {f.text}" for f in action_row.findings))
        rows.append(row)
    return headings, rows


def plan_export(*, user: User, organisation: Organisation, plan: Plan, fmt: str) -> ExportFile:
    """The plan as an .xlsx workbook or a .csv file; raises ValueError for another format."""
    if fmt not in FORMATS:
        raise ValueError(f"Choose one of {', '.join(FORMATS)}.")
    headings, rows = plan_export_rows(user=user, organisation=organisation, plan=plan)
    data = _xlsx(plan, headings, rows) if fmt == "xlsx" else _csv(headings, rows)
    name = f"{slugify(plan.name) or 'plan'}-{iso_day(timezone.localdate())}.{fmt}"
    return ExportFile(name=name, content_type=FORMATS[fmt], data=data)


def _csv(headings: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")  # the byte-order mark makes Excel read it as UTF-8


def _csv_value(value):
    if isinstance(value, datetime.date):
        return long_date(value)
    return safe_cell(value)


def _xlsx(plan: Plan, headings: list[str], rows: list[list]) -> bytes:
    from wellled.core.workbook import (
        Alignment,
        Font,
        PatternFill,
        get_column_letter,
        new_workbook,
        streamed_cell,
        workbook_bytes,
    )

    book = new_workbook(streamed=True)
    title = SHEET_TITLE_FORBIDDEN_RE.sub(" ", xml_safe(plan.name)).strip()[:SHEET_TITLE_LIMIT] or "Plan"
    sheet = book.create_sheet(title=title)
    for i, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = COLUMN_WIDTHS.get(heading, 20)
    sheet.freeze_panes = "C2"
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append(
        [streamed_cell(sheet, heading, font=bold, fill=fill, alignment=wrap) for heading in headings]
    )
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, wrap) for value in row])
    book.properties.title = xml_safe(plan.name)[:200]
    return workbook_bytes(book)


def _xlsx_cell(sheet, value, alignment):
    """A date kept as a date the spreadsheet can sort, in the update date's format; anything else made safe."""
    from wellled.core.workbook import streamed_cell

    if isinstance(value, datetime.date):
        return streamed_cell(sheet, value, number_format=UPDATE_DATE_FORMAT, alignment=alignment)
    return streamed_cell(sheet, value, alignment=alignment)
