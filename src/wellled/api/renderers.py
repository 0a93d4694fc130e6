"""CSV for the list endpoints (Power BI, Excel): one row per object, nested fields as dotted columns (a list of
objects numbered: `ratings.0.rating`), plain lists joined with "; ", and every cell through
`core.cells.safe_cell`, so no text is ever run as a formula."""

from __future__ import annotations

import csv
import io
from typing import Any

from rest_framework.renderers import BaseRenderer

from wellled.core.cells import safe_cell

# Excel recognises UTF-8 only with a byte-order mark; Power BI accepts it too.
UTF8_BOM = "\ufeff"


def _flatten(value: Any, prefix: str, row: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), row)
    elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        for index, item in enumerate(value):  # a list of objects: one set of columns each, numbered from 0
            _flatten(item, f"{prefix}.{index}", row)
    elif isinstance(value, list):
        row[prefix] = "; ".join(str(item) for item in value)
    elif isinstance(value, bool):
        row[prefix] = "true" if value else "false"
    else:
        row[prefix] = value


def csv_rows(records: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """Flattened records and their columns, in first-seen order."""
    rows, columns = [], {}
    for record in records:
        row: dict[str, Any] = {}
        _flatten(record, "", row)
        rows.append(row)
        columns.update(dict.fromkeys(row))
    return list(columns), rows


class CSVRenderer(BaseRenderer):
    """A page of a list as CSV (`?format=csv` or `Accept: text/csv`); an error as one `detail` column."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            records = data["results"]
        elif isinstance(data, list):
            records = data
        else:
            records = [data]
        columns, rows = csv_rows([r if isinstance(r, dict) else {"value": r} for r in records])
        out = io.StringIO()
        out.write(UTF8_BOM)
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([safe_cell(c) for c in columns])
        for row in rows:
            writer.writerow([safe_cell(row.get(c)) for c in columns])
        return out.getvalue().encode("utf-8")
