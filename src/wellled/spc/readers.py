"""Read a long table (CSV or XLSX) into typed columns, naming the row and column of any bad cell.

openpyxl is imported only when an XLSX file is read, so `import wellled.spc` stays light.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MISSING_TEXT = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%Y/%m/%d",
    "%d-%m-%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %Y",
    "%B %Y",
    "%Y-%m",
)


class InputError(ValueError):
    """Bad input in a file, with the row (1-based, header is row 1) and column it was found in."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.row, self.column, self.detail = row, column, message
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


@dataclass(frozen=True)
class Table:
    """A header and data rows as read from the file; row_numbers are the file's row numbers."""

    header: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]


def read_table(path: str | Path) -> Table:
    """Read the first sheet of an .xlsx file or a .csv file (comma, semicolon or tab separated)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file: {path}")
    raw = _read_xlsx(path) if path.suffix.lower() in {".xlsx", ".xlsm"} else _read_csv(path)
    numbered = [(i, r) for i, r in enumerate(raw, start=1) if any(_present(c) for c in r)]
    if not numbered:
        raise InputError("the file is empty (no header row)", row=1)
    header_row, header = numbered[0]
    names = [str(c).strip() if c is not None else "" for c in header]
    if len(numbered) == 1:
        raise InputError("the file has a header but no data rows", row=header_row + 1)
    rows = [list(r) + [None] * (len(names) - len(r)) for _, r in numbered[1:]]
    return Table(names, rows, [i for i, _ in numbered[1:]])


def _present(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _read_csv(path: Path) -> list[list[Any]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(text.splitlines(), dialect)]


def _read_xlsx(path: Path) -> list[list[Any]]:
    import openpyxl  # lazy: only XLSX input needs it

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def find_column(table: Table, name: str | None, candidates: tuple[str, ...], what: str) -> int | None:
    """Index of a column given by name (case-insensitive), or the first of the default candidates."""
    lowered = [h.lower() for h in table.header]
    if name is not None:
        if name.lower() in lowered:
            return lowered.index(name.lower())
        raise InputError(
            f"no {what} column named {name!r} (columns: {', '.join(table.header)})", row=1, column=name
        )
    for c in candidates:
        if c in lowered:
            return lowered.index(c)
    return None


def parse_number(cell: Any, row: int, column: str) -> float:
    """A number from a cell; blank and NA mean missing (NaN)."""
    if cell is None:
        return math.nan
    if isinstance(cell, bool):
        raise InputError(f"{cell!r} is not a number", row, column)
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip()
    if text.lower() in MISSING_TEXT:
        return math.nan
    cleaned = re.sub(r"[,\s£$%]", "", text)
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError(f"{text!r} is not a number", row, column) from None
    if not math.isfinite(value):
        raise InputError(f"{text!r} is not a finite number", row, column)
    return value


def parse_date(cell: Any, row: int, column: str) -> np.datetime64:
    """A date from a cell: Excel dates, ISO dates (and date-times), DD/MM/YYYY, "Apr 2021"."""
    if isinstance(cell, dt.datetime):
        return np.datetime64(cell, "D") if cell.time() == dt.time() else np.datetime64(cell, "s")
    if isinstance(cell, dt.date):
        return np.datetime64(cell, "D")
    text = "" if cell is None else str(cell).strip()
    if not text:
        raise InputError("the date is missing", row, column)
    for fmt in DATE_FORMATS:
        try:
            return np.datetime64(dt.datetime.strptime(text, fmt).date(), "D")
        except ValueError:
            continue
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date (use YYYY-MM-DD)", row, column) from None
    return np.datetime64(parsed.replace(tzinfo=None), "s")


@dataclass(frozen=True)
class Columns:
    """The parsed columns of a long table."""

    series: list[str] | None
    dates: np.ndarray
    values: np.ndarray
    denominators: np.ndarray | None
    value_name: str


def parse_columns(
    table: Table,
    *,
    date_column: str | None = None,
    value_column: str | None = None,
    series_column: str | None = None,
    denominator_column: str | None = None,
    need_denominator: bool = False,
    proportion: bool = False,
) -> Columns:
    """Pick and parse the columns; reject bad numbers, bad dates and duplicate dates in a series."""
    di = find_column(table, date_column, ("date", "period", "month", "week", "day"), "date")
    di = 0 if di is None else di
    si = find_column(table, series_column, ("series", "measure", "metric"), "series")
    ni = find_column(table, denominator_column, ("denominator",), "denominator") if need_denominator else None
    if need_denominator and ni is None:
        raise InputError("p and u charts need --denominator-column", row=1)
    vi = find_column(table, value_column, ("value", "numerator", "count", "y"), "value")
    if vi is None:
        used = {di, si, ni}
        rest = [i for i in range(len(table.header)) if i not in used]
        if not rest:
            raise InputError("no value column found; name one with --value-column", row=1)
        vi = rest[0]
    name = table.header
    dates: list[np.datetime64] = []
    values: list[float] = []
    dens: list[float] = []
    series: list[str] = []
    seen: dict[tuple[str, np.datetime64], int] = {}
    for row, cells in zip(table.row_numbers, table.rows, strict=True):
        d = parse_date(cells[di], row, name[di])
        s = "" if si is None or cells[si] is None else str(cells[si]).strip()
        if (s, d) in seen:
            where = f" in series {s!r}" if si is not None else ""
            raise InputError(f"date {d} appears twice{where} (first at row {seen[(s, d)]})", row, name[di])
        seen[(s, d)] = row
        dates.append(d)
        values.append(parse_number(cells[vi], row, name[vi]))
        if ni is not None:
            den = parse_number(cells[ni], row, name[ni])
            if den <= 0:
                raise InputError(f"the denominator must be positive, not {cells[ni]!r}", row, name[ni])
            if proportion and values[-1] > den:
                raise InputError(f"the numerator {cells[vi]!r} is larger than its denominator", row, name[vi])
            dens.append(den)
        series.append(s)
    return Columns(
        series=series if si is not None else None,
        dates=np.array(dates),
        values=np.array(values, dtype=np.float64),
        denominators=np.array(dens, dtype=np.float64) if ni is not None else None,
        value_name=name[vi],
    )
