"""The board paper as CSV: one row per action, every cell made safe against formula injection."""

from __future__ import annotations

import csv
import io

from wellled.core.cells import safe_cell

from .board_paper import BoardPaper, Row

COLUMNS = (
    "Section",
    "Section title",
    "Ref",
    "Planned action",
    "Timescale",
    "Due date",
    "Lead",
    "Success measure",
    "Progress update",
    "Progress reported on",
    "Status",
    "Status label",
    "State",
    "Overdue",
    "Timescale slipped this cycle",
    "Update awaited",
    "Findings",
    "Position as at",
    "Linked measure",
    "Measure latest value",
    "Measure period",
    "Variation",
    "Assurance",
    "Measure target",
    "Target met",
    "Risks mitigated",
)


def row_values(paper: BoardPaper, row: Row) -> list:
    """One action's cells, in COLUMNS order (shared with the Excel export)."""
    return [
        row.section_code,
        row.section_title,
        row.reference,
        row.title,
        row.timescale,
        row.due_date,
        row.leads,
        row.success_measure,
        row.progress,
        row.progress_date,
        row.status_code,
        row.status_label,
        row.state_label,
        "Yes" if row.overdue else "No",
        "Yes" if row.slipped_this_cycle else "No",
        "Yes" if row.update_awaited else "No",
        ", ".join(str(n) for n in row.findings),
        paper.as_at,
        *measure_values(row),
        "; ".join(row.risks),
    ]


def measure_values(row: Row) -> list:
    """The linked measure's cells (blank when the success measure is not linked to a measure)."""
    info = row.measure
    if info is None:
        return ["", "", "", "", "", "", ""]
    if not info.latest:
        return [info.name, "", "", "No data yet", "", info.target, ""]
    met = {True: "Yes", False: "No"}.get(info.target_met, "")
    return [
        info.name,
        info.latest,
        info.latest_period,
        info.variation_label,
        info.assurance_label,
        info.target,
        met,
    ]


def render_csv(paper: BoardPaper) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads the arrows and accents correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in paper.rows:
        writer.writerow([_text(safe_cell(v)) for v in row_values(paper, row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
