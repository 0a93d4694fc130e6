"""Spreadsheets for the import tests, built in the tests with openpyxl (the demo text is our own)."""

from __future__ import annotations

import io
import zipfile

from wellled.plans.spreadsheet.read import SpreadsheetFile

HEADER = ["Ref:", "Planned action", "Timescale", "Lead", "Success measure", "Progress update", "RAG"]
STATUS_KEY = [
    "Status G",
    "Action completed and improvement achieved",
    "A/G",
    "Clear plan, not finished",
    "A/R",
    "No plan, or little confidence in it",
]


def xlsx_bytes(
    rows: list[list] | None = None,
    *,
    sheets: dict[str, list[list]] | None = None,
    merges: dict[str, list[str]] | None = None,
    formats: dict[str, str] | None = None,
) -> bytes:
    """A workbook of one sheet (`rows`) or several (`sheets`, by title); `merges` lists ranges such as 'A3:A5' per
    sheet title ('' for the single sheet), `formats` number formats by cell ('C4': 'mmm-yy')."""
    from openpyxl import Workbook

    book = Workbook()
    sheets = sheets or {"Action plan": rows or []}
    book.remove(book.active)
    for title, sheet_rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in sheet_rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(title if len(sheets) > 1 else "", []):
            sheet.merge_cells(cell_range)
        for cell, number_format in (formats or {}).items():
            sheet[cell].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_file(rows: list[list] | None = None, name: str = "plan.xlsx", **kwargs) -> SpreadsheetFile:
    return SpreadsheetFile(name=name, data=xlsx_bytes(rows, **kwargs))


def csv_file(text: str, name: str = "plan.csv", encoding: str = "utf-8") -> SpreadsheetFile:
    return SpreadsheetFile(name=name, data=text.encode(encoding))


def with_sheet_xml(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change` (to make a malicious or broken part)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = change(part)
            target.writestr(info, part)
    return out.getvalue()


def ole_file(*, encrypted: bool) -> bytes:
    """The start of an OLE compound file, as Excel writes a password-protected workbook (or an old .xls)."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504
    streams = ("EncryptionInfo", "EncryptedPackage") if encrypted else ("Workbook", "SummaryInformation")
    return header + b"".join(name.encode("utf-16-le") + b"\x00" * (64 - 2 * len(name)) for name in streams)


def giant_workbook(rows: int, *, header: list[str] | None = None) -> bytes:
    """A workbook of `rows` rows (a header, then a number in column A of each) in a small file that claims a small
    dimension: what a file that would cost minutes and gigabytes to read whole looks like (tests/big_sheets.py)."""
    from tests.big_sheets import huge_workbook

    return huge_workbook(header or ["Risk ID", "Title", "Current rating"], [1], rows=rows - 1)
