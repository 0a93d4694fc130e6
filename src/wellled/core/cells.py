"""Cells that are safe to open in a spreadsheet: no text that a spreadsheet would run as a formula.

Text beginning with =, +, -, @, a tab or a carriage return can be read as a formula by Excel, LibreOffice and
Google Sheets (CSV injection, OWASP). Such text is written with a leading apostrophe, so it is shown as text and
never evaluated. Characters an .xlsx cannot hold (XML 1.0) are dropped, so one pasted control character cannot
stop a paper being produced. Numbers and dates are left alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from .limits import SPREADSHEET_CELL_CHARS
from .text import xml_safe

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHORTENED = (
    " […] (Shortened here: the full text is {length:,} characters, more than a spreadsheet cell holds.)"
)


def is_risky(value: Any) -> bool:
    """True if the value is text a spreadsheet could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_cell(value: Any) -> Any:
    """The value made safe for a spreadsheet cell: risky text gets a leading apostrophe; anything else unchanged."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = xml_safe(value)
    if is_risky(value):
        value = "'" + value
    if isinstance(value, str) and len(value) > SPREADSHEET_CELL_CHARS:
        return shortened(value)
    return value


def shortened(text: str) -> str:
    """Text cut to fit a cell, saying so in the cell itself: a spreadsheet never cuts silently."""
    note = SHORTENED.format(length=len(text))
    return text[: SPREADSHEET_CELL_CHARS - len(note)] + note


def set_safe_cell(cell, value: Any) -> None:
    """Write a value into an openpyxl cell; text is always stored as a string, never as a formula."""
    value = safe_cell(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as CSV with every cell made safe, in UTF-8 with a byte-order mark so that Excel reads the names right."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")
