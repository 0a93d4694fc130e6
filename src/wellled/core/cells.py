"""Cells that are safe to open in a spreadsheet: no text that a spreadsheet would run as a formula.

Text beginning with =, +, -, @, a tab or a carriage return can be read as a formula by Excel, LibreOffice and
Google Sheets (CSV injection, OWASP). Such text is written with a leading apostrophe, so it is shown as text and
never evaluated. Characters an .xlsx cannot hold (XML 1.0) are dropped, so one pasted control character cannot
stop a paper being produced. Numbers and dates are left alone.
"""

from __future__ import annotations

from typing import Any

from .text import xml_safe

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
        return "'" + value
    return value


def set_safe_cell(cell, value: Any) -> None:
    """Write a value into an openpyxl cell; text is always stored as a string, never as a formula."""
    value = safe_cell(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
