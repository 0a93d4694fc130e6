"""The quarterly return (issue 23, item 3): the figures a versioned definition file asks for, counted over a
quarter's cases, with small counts suppressed outside the guardian role (primary: 1 to threshold - 1 shown as
"fewer than N"; secondary: a second cell hidden wherever one alone could be worked out from its table's total)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from wellled.core.cells import csv_bytes, set_safe_cell
from wellled.core.models import Organisation, User
from wellled.core.workbook import new_workbook, workbook_bytes

from .models import Case
from .periods import Quarter
from .selectors import is_guardian

DEFINITIONS = Path(__file__).parent / "data"
DEFAULT_DEFINITION = DEFINITIONS / "return-2024-25.yaml"
HIDDEN = "not shown (protects a small count)"
ROW_FIELDS = frozenset({"all", "openness", "worker_group", "elements", "detriment", "feedback", "route"})


class DefinitionError(ValueError):
    """The definition file is not one this return can read: the message names the table and row."""


@dataclass(frozen=True)
class Cell:
    table: str
    table_title: str
    code: str
    label: str
    count: int
    shown: str  # the count, "fewer than 5", or HIDDEN

    @property
    def hidden(self) -> bool:
        return self.shown != str(self.count)


@dataclass(frozen=True)
class QuarterReturn:
    """One quarter's return as its reader may see it."""

    organisation: Organisation
    quarter: Quarter
    definition: dict[str, Any]
    cells: list[Cell]
    totals: dict[str, Cell]  # each table's total (the cases it counts), suppressed the same way
    suppressed: bool
    threshold: int

    @property
    def nil(self) -> bool:
        return all(c.count == 0 for c in self.totals.values())


def definition_load(path: Path | str = DEFAULT_DEFINITION) -> dict[str, Any]:
    """Read and check a definition file; DefinitionError names what is wrong."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"The return's definition {path} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("tables"), list):
        raise DefinitionError(f"The return's definition {path} has no list of tables.")
    for number, table in enumerate(data["tables"], start=1):
        for key in ("code", "title", "rows"):
            if key not in table:
                raise DefinitionError(f"Table {number} of {path} has no {key}.")
        for row_number, row in enumerate(table["rows"], start=1):
            if row.get("field") not in ROW_FIELDS:
                raise DefinitionError(
                    f"Row {row_number} of table {table['code']} counts an unknown field {row.get('field')!r}."
                )
    return data


def _matches(case: Case, row: dict[str, Any]) -> bool:
    field = row["field"]
    if field == "all":
        return True
    if field == "elements":
        return row["value"] in case.elements
    return str(getattr(case, field)) == str(row["value"])


def _in(day: datetime.date | None, quarter: Quarter) -> bool:
    return day is not None and quarter.first_day <= day <= quarter.last_day


def _bounds(counts: list[int], hidden: list[bool], threshold: int, total: int) -> list[tuple[int, int]]:
    """What a reader knows of each hidden cell before the total is used: 1 to threshold - 1 for a small count,
    at least the threshold for a cell hidden only to protect another (the worst case: the reader knows the rule)."""
    return [
        (1, threshold - 1) if n < threshold else (threshold, total)
        for n, h in zip(counts, hidden, strict=True)
        if h
    ]


def derivable(bounds: list[tuple[int, int]], hidden_sum: int) -> bool:
    """True if some hidden cell's value follows from the others' bounds and the sum of the hidden cells."""
    lows, highs = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
    for low, high in bounds:
        least = max(low, hidden_sum - (highs - high))
        most = min(high, hidden_sum - (lows - low))
        if least >= most:
            return True
    return False


def suppress(counts: list[int], total: int | None, threshold: int) -> tuple[list[bool], bool]:
    """Which cells to hide, and whether the total must be hidden too: every count from 1 to threshold - 1 (primary);
    then, where the rows add up to a total that is shown, the next smallest non-zero cells while any hidden cell
    could still be worked out from the total (secondary); the total itself only if nothing else protects them."""
    hidden = [0 < n < threshold for n in counts]
    if total is None or total < threshold or not any(hidden):
        return hidden, total is not None and 0 < total < threshold
    while derivable(
        _bounds(counts, hidden, threshold, total), sum(n for n, h in zip(counts, hidden, strict=True) if h)
    ):
        visible = sorted((n, i) for i, n in enumerate(counts) if n > 0 and not hidden[i])
        if not visible:
            return hidden, True
        hidden[visible[0][1]] = True
    return hidden, False


def _shown(count: int, hide: bool, threshold: int) -> str:
    if not hide:
        return str(count)
    return f"fewer than {threshold}" if 0 < count < threshold else HIDDEN


def quarter_return(
    *,
    user: User | None,
    organisation: Organisation,
    quarter: Quarter,
    definition: dict[str, Any] | None = None,
    suppressed: bool | None = None,
    threshold: int | None = None,
) -> QuarterReturn:
    """The quarter's return for the organisation: exact for its guardians (unless they ask for the suppressed copy),
    suppressed for anyone else, whatever they ask."""
    definition = definition or definition_load()
    threshold = threshold or settings.WELLLED_FTSU_SUPPRESSION_THRESHOLD
    guardian = is_guardian(user=user, organisation=organisation)
    suppressed = True if not guardian else bool(suppressed)
    cases = list(
        Case.objects.filter(organisation=organisation).only(
            "received_on",
            "closed_on",
            "openness",
            "worker_group",
            "elements",
            "detriment",
            "feedback",
            "route",
        )
    )
    bases = {table.get("counted_by", "received_on") for table in definition["tables"]}
    counted = {by: [c for c in cases if _in(getattr(c, by), quarter)] for by in bases}
    # A total hidden to protect one table's cells is hidden in every table counted the same way (and so is any row
    # counting every case), or it could be read from another table.
    hide_total = {by: suppressed and 0 < len(counted[by]) < threshold for by in bases}
    plans = []
    for table in definition["tables"]:
        by = table.get("counted_by", "received_on")
        counts = [sum(1 for c in counted[by] if _matches(c, row)) for row in table["rows"]]
        additive = bool(table.get("additive"))
        hidden, total_hidden = suppress(counts, len(counted[by]) if additive else None, threshold)
        if not suppressed:
            hidden, total_hidden = [False] * len(counts), False
        hide_total[by] = hide_total[by] or total_hidden
        plans.append((table, by, counts, hidden))
    cells: list[Cell] = []
    totals: dict[str, Cell] = {}
    for table, by, counts, hidden in plans:
        total = len(counted[by])
        if hide_total[by] and table.get("additive"):
            hidden = [
                0 < n < threshold for n in counts
            ]  # with no total to subtract from, the small counts suffice
        for row, count, hide in zip(table["rows"], counts, hidden, strict=True):
            hide = hide or (hide_total[by] and row["field"] == "all" and count > 0)
            cells.append(
                Cell(
                    table["code"],
                    table["title"],
                    str(row["code"]),
                    row["label"],
                    count,
                    _shown(count, hide, threshold),
                )
            )
        totals[table["code"]] = Cell(
            table["code"], table["title"], "total", "Total", total, _shown(total, hide_total[by], threshold)
        )
    return QuarterReturn(organisation, quarter, definition, cells, totals, suppressed, threshold)


def return_rows(result: QuarterReturn) -> list[list[str]]:
    """The return in its shape, one row per figure: what CSV and Excel both carry."""
    rows = [
        ["Organisation", "ODS code", "Return", "Version", "Quarter", "Table", "Figure", "Code", "Value"],
    ]
    head = [
        result.organisation.name,
        result.organisation.ods_code,
        result.definition.get("title", ""),
        str(result.definition.get("version", "")),
        result.quarter.label,
    ]
    for table in result.definition["tables"]:
        for cell in [c for c in result.cells if c.table == table["code"]]:
            rows.append([*head, cell.table_title, cell.label, cell.code, cell.shown])
        total = result.totals[table["code"]]
        rows.append([*head, total.table_title, "Total", "total", total.shown])
    if result.nil:
        rows.append([*head, "Nil return", "No cases in the quarter", "nil", "0"])
    return rows


def return_csv(result: QuarterReturn) -> bytes:
    return csv_bytes(return_rows(result))


def rows_xlsx(rows: list[list[str]]) -> bytes:
    """Rows as a one-sheet workbook, each count a number."""
    book = new_workbook()
    sheet = book.active
    sheet.title = "Return"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            number = r > 1 and c == len(row) and value.isdigit()
            set_safe_cell(sheet.cell(row=r, column=c), int(value) if number else value)
    return workbook_bytes(book)


def return_xlsx(result: QuarterReturn) -> bytes:
    return rows_xlsx(return_rows(result))
