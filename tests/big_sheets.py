"""Huge spreadsheets that are small files, for the tests that every import stops at its row limit (issue 25).

`huge_workbook` starts from a workbook openpyxl writes in write-only mode (its header row and one row of data),
then writes the sheet's rows again, streamed into the zip: the data row repeated `rows` times (or `rows` blank
rows), each without its `r` attribute as Excel allows, under a `<dimension>` that claims three rows. Two million
rows take about 700 KB and a second or two to build; openpyxl alone would take a minute.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from xml.sax.saxutils import escape

ISSUE_ROWS = 2_050_000  # the workbook of issue 25: 736 KB, read whole for 40 s before it was refused
SHEET_PART = "xl/worksheets/sheet1.xml"
CHUNK_ROWS = 20_000
CLAIM = '<dimension ref="A1:C3"/>'  # what the sheet says of its size: three rows


def _cell(value) -> str:
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _row(values) -> str:
    return "<row>" + "".join(_cell(v) for v in values) + "</row>"


def huge_workbook(header: list, row: list, *, rows: int = ISSUE_ROWS, blank: bool = False) -> bytes:
    """An .xlsx whose first sheet has `header` and then `row` `rows` times (or `rows` empty rows)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(header)
    sheet.append(row)
    first = io.BytesIO()
    book.save(first)
    source = zipfile.ZipFile(io.BytesIO(first.getvalue()))
    xml = source.read(SHEET_PART).decode()
    head = re.sub(r"<dimension [^>]*/>", "", xml[: xml.index("<sheetData>")])
    head = head.replace("<sheetViews>", CLAIM + "<sheetViews>", 1)
    tail = xml[xml.index("</sheetData>") :]
    body = "<row/>" if blank else _row(row)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != SHEET_PART:
                target.writestr(item, source.read(item.filename))
                continue
            with target.open(SHEET_PART, "w") as part:
                part.write((head + "<sheetData>" + _row(header)).encode())
                chunk = (body * CHUNK_ROWS).encode()
                whole, rest = divmod(rows, CHUNK_ROWS)
                for _ in range(whole):
                    part.write(chunk)
                part.write((body * rest).encode())
                part.write(tail.encode())
    return out.getvalue()


def huge_csv(header: list, row: list, *, rows: int = ISSUE_ROWS) -> bytes:
    """A CSV file of `header` and then `row` `rows` times."""
    line = (",".join(str(v) for v in row) + "\n").encode()
    return (",".join(header) + "\n").encode() + line * rows


@functools.cache
def issue_workbook(header: tuple = ("measure", "period", "value"), row: tuple = (1, 2, 3)) -> bytes:
    """The workbook of issue 25: a header and 2,050,000 tiny rows (built once per test run for each header)."""
    return huge_workbook(list(header), list(row))


@functools.cache
def blank_workbook(header: tuple = ("measure", "period", "value")) -> bytes:
    """A header and then 2,050,000 blank rows."""
    return huge_workbook(list(header), [], blank=True)
