"""The one workbook kit: every .xlsx Wellled writes or reads goes through here, and openpyxl is imported nowhere else.

Writing: a new book (streamed for long tables), its styles, cells made safe (core.cells: no formulas, nothing an
.xlsx cannot hold, nothing longer than a cell), and the book's bytes. Reading: a read-only book opened from bytes or
a path without external links and closed after use, and its rows read within a row and a column limit, so a
workbook of a million rows is refused while it is read rather than held whole. `sheet_row_stream` hands the rows
over one at a time (an import checks each and keeps only what it needs) and stops at the limit whatever the sheet
says of its own size: the `<dimension>` a producer wrote is ignored, blank rows count towards a scan limit, so two
million empty rows are refused as quickly as twenty thousand full ones (docs/performance.md, "Bounded imports").
`streamed_rows` does the same for the register kit (core.registers). The SPC engine reads its own workbooks (it
uses nothing of Wellled; contract "engines").
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter

from .cells import csv_bytes, safe_cell, set_safe_cell

__all__ = [
    "Alignment",
    "Border",
    "Font",
    "PatternFill",
    "RowLimitExceeded",
    "Side",
    "Workbook",
    "WriteOnlyCell",
    "bounded_rows",
    "csv_bytes",
    "get_column_letter",
    "merged_ranges",
    "new_workbook",
    "opened_workbook",
    "part_merged_ranges",
    "safe_cell",
    "scan_limit",
    "set_safe_cell",
    "sheet_row_stream",
    "sheet_rows",
    "sheet_titles",
    "streamed_rows",
    "streamed_cell",
    "workbook_bytes",
    "workbook_marked",
]


class RowLimitExceeded(ValueError):
    """A sheet holds more rows than the reader allows; raised while reading, before the rest is read. With
    `counting_blank`, the limit was the scan limit: the sheet runs past that row, blank rows included."""

    def __init__(self, limit: int, *, counting_blank: bool = False) -> None:
        if counting_blank:
            message = (
                f"The sheet runs past row {limit:,}, counting blank rows. Delete the empty rows below the data "
                "(select them, then Delete Sheet Rows), save it and try again."
            )
        else:
            message = f"The sheet has more than {limit:,} rows."
        super().__init__(message)
        self.limit = limit
        self.counting_blank = counting_blank


def new_workbook(*, streamed: bool = False) -> Workbook:
    """An empty book; a streamed one writes its rows as they are appended (long tables), and has no first sheet."""
    return Workbook(write_only=streamed)


def streamed_cell(sheet: Any, value: Any, **style: Any) -> WriteOnlyCell:
    """A cell of a streamed sheet holding the value made safe, with any styles given (font=, fill=, alignment=,
    number_format=)."""
    cell = WriteOnlyCell(sheet)
    set_safe_cell(cell, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def workbook_bytes(book: Workbook) -> bytes:
    """The book as the bytes of an .xlsx file."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook_marked(content: bytes, *, sheet_title: str, lines: list[str], header: str) -> bytes:
    """The .xlsx file with a first sheet of `lines` (A1 first, in bold) opened first, and `header` printed at the
    top of every sheet's pages: how a draft says what it is before anyone reads its figures."""
    book = load_workbook(io.BytesIO(content), keep_links=False)
    for sheet in book.worksheets:
        sheet.oddHeader.center.text = header
        sheet.evenHeader.center.text = header
        sheet.firstHeader.center.text = header
    cover = book.create_sheet(sheet_title, 0)
    for row, line in enumerate(lines, start=1):
        set_safe_cell(cover.cell(row, 1), line)
    cover.cell(1, 1).font = Font(bold=True, size=14, color="D5281B")
    cover.column_dimensions["A"].width = 100
    cover.oddHeader.center.text = header
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = False
    book.active = 0
    cover.sheet_view.tabSelected = True
    return workbook_bytes(book)


@contextlib.contextmanager
def opened_workbook(source: bytes | Path, *, formulas: bool = False) -> Iterator[Any]:
    """A workbook opened read-only (values as last saved, or the formulas' text with formulas=True), without its
    external links, and closed when the block ends."""
    book = load_workbook(
        io.BytesIO(source) if isinstance(source, bytes) else source,
        read_only=True,
        data_only=not formulas,
        keep_links=False,
    )
    try:
        yield book
    finally:
        book.close()


def _physical_rows(sheet: Any, *, max_columns: int | None, stop: int | None) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as openpyxl reads them, blank ones included, no more than `stop`. A read-only sheet's own
    claim of its size is dropped first (a claim of three rows would hide the rest; a claim of a million rows
    would pad the end with empty ones), and openpyxl is told where to stop parsing."""
    if hasattr(sheet, "reset_dimensions"):  # read-only: parsed as it is read
        sheet.reset_dimensions()
        return sheet.iter_rows(values_only=True, max_col=max_columns, max_row=stop)
    return sheet.iter_rows(values_only=True, max_col=max_columns)  # held in memory already


def sheet_rows(sheet: Any, *, max_rows: int | None = None, max_columns: int | None = None) -> list[list[Any]]:
    """A sheet's values, row by row (blank rows too), at most `max_columns` cells of each; more than `max_rows`
    rows raise RowLimitExceeded as soon as the row past the limit is read."""
    rows: list[list[Any]] = []
    stop = None if max_rows is None else max_rows + 1
    for values in _physical_rows(sheet, max_columns=max_columns, stop=stop):
        if max_rows is not None and len(rows) >= max_rows:
            raise RowLimitExceeded(max_rows)
        rows.append(list(values))
    return rows


def scan_limit(max_rows: int) -> int:
    """How far down a sheet an import reads, blank rows included, when at most `max_rows` rows hold anything: room
    for a blank row between every two rows of data and a little more, never the million rows a sheet can claim."""
    return 2 * max_rows + 1_000


def bounded_rows(
    rows: Iterable[Sequence[Any]],
    *,
    max_rows: int,
    max_columns: int | None = None,
    max_scanned: int | None = None,
) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) for each row of `rows` that holds anything (None and "" are blank), at most
    `max_columns` values of each, taken one at a time: a sheet's rows or a CSV reader's alike. RowLimitExceeded is
    raised as soon as row `max_rows` + 1 with anything in it is reached, or row `max_scanned` + 1 of any kind
    (scan_limit(max_rows) unless given), so neither full rows nor blank ones are read past the limit."""
    scanned = scan_limit(max_rows) if max_scanned is None else max_scanned
    count = 0
    for number, values in enumerate(rows, start=1):
        if number > scanned:
            raise RowLimitExceeded(scanned, counting_blank=True)
        kept = list(values if max_columns is None else values[:max_columns])
        if any(value is not None and value != "" for value in kept):
            count += 1
            if count > max_rows:
                raise RowLimitExceeded(max_rows)
            yield number, kept


def sheet_row_stream(
    sheet: Any, *, max_rows: int, max_columns: int | None = None, max_scanned: int | None = None
) -> Iterator[tuple[int, list[Any]]]:
    """bounded_rows over a sheet (numbered as Excel shows them), which openpyxl stops parsing at the scan limit
    whatever the sheet claims of its own size."""
    scanned = scan_limit(max_rows) if max_scanned is None else max_scanned
    physical = _physical_rows(sheet, max_columns=max_columns, stop=scanned + 1)
    return bounded_rows(physical, max_rows=max_rows, max_columns=max_columns, max_scanned=scanned)


def sheet_titles(source: bytes | Path) -> list[str]:
    """The titles of a workbook's visible sheets, in order."""
    with opened_workbook(source) as book:
        return [s.title for s in book.worksheets if getattr(s, "sheet_state", "visible") == "visible"]


def _chosen_sheet(book: Any, sheet: str | None) -> Any:
    visible = [s for s in book.worksheets if getattr(s, "sheet_state", "visible") == "visible"]
    chosen = next((s for s in visible if s.title == sheet), None) if sheet else None
    return chosen or (visible[0] if visible else None)


def streamed_rows(
    source: bytes | Path, *, max_rows: int, max_columns: int, sheet: str | None = None
) -> Iterator[tuple[int, list[Any]]]:
    """A sheet's rows as (row number, values), read one at a time from the file and never held whole: the sheet
    titled `sheet` (else the first visible one). Whatever the sheet's own dimension claims, the rows are counted as
    they are read, and the row past `max_rows` raises RowLimitExceeded before anything more is read, so a workbook
    of two million rows costs what its first `max_rows` rows cost."""
    with opened_workbook(source) as book:
        chosen = _chosen_sheet(book, sheet)
        if chosen is None:
            return
        physical = _physical_rows(chosen, max_columns=max_columns, stop=max_rows + 1)
        for number, values in enumerate(physical, start=1):
            if number > max_rows:
                raise RowLimitExceeded(max_rows)
            yield number, list(values)


MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})([0-9]+):([A-Z]{1,3})([0-9]+)"')
MERGE_SCAN_BYTES = 64 * 1024


def merged_ranges(source: bytes, *, sheet: str | None = None) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of each merged range of the sheet (chosen as
    streamed_rows chooses it), read from its XML in pieces: read-only mode does not report them. Call it after
    streamed_rows has read the sheet within its row limit, since it reads the sheet's part to its end."""
    with opened_workbook(source) as book:
        chosen = _chosen_sheet(book, sheet)
        path = getattr(chosen, "_worksheet_path", None) if chosen is not None else None
    if not path:
        return []
    with zipfile.ZipFile(io.BytesIO(source)) as archive, archive.open(path) as part:
        return part_merged_ranges(part)


def part_merged_ranges(part: Any) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet's XML part (an open binary file), read in pieces, never held whole: the ranges
    come after the rows, and a sheet's XML can be far larger than its file."""
    found: set[tuple[int, int, int, int]] = set()
    tail = b""
    while chunk := part.read(MERGE_SCAN_BYTES):
        text = tail + chunk
        if b"mergeCell" not in text:  # most pieces are rows: skipped at the speed of a byte search
            tail = text[-200:]
            continue
        for c0, r0, c1, r1 in MERGE_RE.findall(text):
            found.add(
                (
                    int(r0),
                    column_index_from_string(c0.decode()),
                    int(r1),
                    column_index_from_string(c1.decode()),
                )
            )
        tail = text[-200:]
    return sorted(found)
