"""The one workbook kit: every .xlsx Wellled writes or reads goes through here, and openpyxl is imported nowhere else.

Writing: a new book (streamed for long tables), its styles, cells made safe (core.cells: no formulas, nothing an
.xlsx cannot hold, nothing longer than a cell), and the book's bytes. Reading: a read-only book opened from bytes or
a path without external links and closed after use, and its rows read within a row and a column limit, so a
workbook of a million rows is refused while it is read rather than held whole. The SPC engine reads its own
workbooks (it uses nothing of Wellled; contract "engines").
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Iterator
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
    "csv_bytes",
    "get_column_letter",
    "merged_ranges",
    "new_workbook",
    "opened_workbook",
    "safe_cell",
    "set_safe_cell",
    "sheet_rows",
    "sheet_titles",
    "streamed_rows",
    "streamed_cell",
    "workbook_bytes",
    "workbook_marked",
]


class RowLimitExceeded(ValueError):
    """A sheet holds more rows than the reader allows; raised while reading, before the rest is read."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"The sheet has more than {limit:,} rows.")
        self.limit = limit


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


def sheet_rows(sheet: Any, *, max_rows: int | None = None, max_columns: int | None = None) -> list[list[Any]]:
    """A sheet's values, row by row, at most `max_columns` cells of each; more than `max_rows` rows raise
    RowLimitExceeded as soon as the row past the limit is read."""
    rows: list[list[Any]] = []
    for values in sheet.iter_rows(values_only=True, max_col=max_columns):
        if max_rows is not None and len(rows) >= max_rows:
            raise RowLimitExceeded(max_rows)
        rows.append(list(values))
    return rows


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
        chosen.reset_dimensions()  # read what is there, not what the file says is there
        for number, values in enumerate(chosen.iter_rows(values_only=True, max_col=max_columns), start=1):
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
    found: set[tuple[int, int, int, int]] = set()
    with zipfile.ZipFile(io.BytesIO(source)) as archive, archive.open(path) as part:
        tail = b""
        while chunk := part.read(MERGE_SCAN_BYTES):
            text = tail + chunk
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
